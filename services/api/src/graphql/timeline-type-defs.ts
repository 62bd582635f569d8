// The SDL of callTimeline: one call's legs, each figure explained from the call's events by the call model
// (docs/call-model.md, "Explaining a leg"; docs/api.md, "callTimeline").
export const timelineTypeDefs = /* GraphQL */ `
  "One party event of a call, as the call model took it (after order, dedupe and the timeout rules)."
  type TimelineEvent {
    "The session's sequence number (all parties share one counter)."
    sequence: Float!
    "When it happened (RingCentral's eventTime), ISO-8601 in the asked time zone."
    time: String!
    timeMs: Float!
    partyId: ID!
    "The party's extension; null for an outside party (a PSTN caller)."
    extensionId: ID
    direction: Direction
    "The status code in the call model's spelling (Voicemail); rawStatus as RingCentral sent it."
    status: String!
    rawStatus: String!
    reason: String
    "The end callpulse gave a party whose real end never came (reason Timeout)."
    synthetic: Boolean!
    "It came after its party's end: counted, but it changes nothing."
    afterEnd: Boolean!
  }

  "An event that opened or closed a phase."
  type PhaseMark {
    sequence: Float!
    time: String!
    timeMs: Float!
    partyId: ID!
    status: String!
    "The leg's own event; false for the far end's first Proceeding or Answered (a call the leg placed connects then)."
    own: Boolean!
  }

  "What a leg was doing between two events."
  enum PhaseKind {
    "Counted in ringMs."
    ring
    "A talk segment, counted in talkMs."
    talk
    "A hold, counted in holdMs and holdCount."
    hold
    "Parked, counted in parkMs."
    park
    "In voicemail: counted in no figure."
    voicemail
    "Receiving a fax: counted in no figure."
    fax
  }

  type TimelinePhase {
    kind: PhaseKind!
    from: PhaseMark!
    "null while the phase is still open (the leg goes on)."
    to: PhaseMark
    "from to to; 0 while open, and when the times run backwards."
    ms: Float!
  }

  "A figure that is the sum of phases, with the phases and the rule that opens and closes them."
  type PhaseSum {
    ms: Float!
    phases: [TimelinePhase!]!
    rule: String!
  }

  "A fact a rule looked at."
  type RuleFact {
    name: String!
    "The value as text (numbers in decimal, true or false); null when nothing is known."
    value: String
  }

  "The result rule that matched (docs/call-model.md, 'Result of an ended leg')."
  type ResultRule {
    result: LegResult!
    "The rule's name: its result, or Timeout when callpulse ended a leg whose end never came."
    rule: String!
    "The rule's row in the table of docs/call-model.md (1-12); null for Timeout."
    order: Int
    "The rule in a line."
    says: String!
    facts: [RuleFact!]!
  }

  "The rule that said who ended the leg."
  type EndedByRule {
    endedBy: EndedBy!
    "first-to-hang-up, tie, counterpart-in-call, counterpart-gone, no-counterpart, system, handed-on or Timeout."
    rule: String!
    says: String!
    facts: [RuleFact!]!
  }

  "A leg's figures as the call model gives them: what the leg's record in calls carries."
  type TimelineFigures {
    startTime: String!
    ringStartTime: String
    answerTime: String
    endTime: String
    ringMs: Float!
    talkMs: Float!
    holdMs: Float!
    holdCount: Int!
    parkMs: Float!
    durationMs: Float!
    "null while the leg goes on."
    result: LegResult
    endedBy: EndedBy
    endStatus: String
    endReason: String
    endedDuringHold: Boolean!
  }

  "From the leg's first event to its end (while it goes on: its last event)."
  type DurationSpan {
    ms: Float!
    from: PhaseMark!
    to: PhaseMark!
    rule: String!
  }

  "One leg of a call explained: its events, its phases on a time axis, and where each figure comes from."
  type LegTimeline {
    partyId: ID!
    extensionId: ID!
    direction: Direction
    ended: Boolean!
    "The leg's own events."
    events: [TimelineEvent!]!
    "Every phase, in the order they opened."
    phases: [TimelinePhase!]!
    figures: TimelineFigures!
    ring: PhaseSum!
    talk: PhaseSum!
    "holdCount is the number of its phases."
    hold: PhaseSum!
    park: PhaseSum!
    duration: DurationSpan!
    "null while the leg goes on."
    result: ResultRule
    endedBy: EndedByRule
  }

  type CallTimeline {
    telephonySessionId: ID!
    timeZone: String!
    "Every event of every party of the call (a leg's result and who ended it depend on the others')."
    events: [TimelineEvent!]!
    legs: [LegTimeline!]!
  }

  extend type Query {
    """
    One call's legs explained from its stored events by the call model that made its records (one ClickHouse
    query). null when no event of it is stored: an unknown id, or a call without a monitored extension's party.
    """
    callTimeline(
      telephonySessionId: ID!
      "Times in this IANA zone (default UTC)."
      timeZone: String
    ): CallTimeline
  }
`;
