// The live board's subscription document: it selects only what the page reads (2,000 agent changes a second, each
// field bytes sent, parsed and collected in the page); the schema has more (idleSince, answerTime, holdCount, a party's
// extensionId), for other clients.

/** A party of a call: what the board shows of it (format.ts endpointText). */
export const endpointFields = 'phoneNumber name';

const legFields = `telephonySessionId partyId direction status statusSince from { ${endpointFields} } to { ${endpointFields} } queueId queueName startTime ringMs talkMs holdMs updatedAt`;

export const agentsSubscription = `subscription { agentStatesChanged { snapshot removed at agents { extensionId extensionNumber name state since version counterpart { ${endpointFields} } legs { ${legFields} } } } }`;
