// RingCentral's error bodies, as the stand-in answers them.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { StandInAccount } from './account.js';

export const rcError = (reply: FastifyReply, status: number, errorCode: string, message: string) =>
  reply.code(status).send({ errorCode, message, errors: [{ errorCode, message }] });

export const oauthError = (reply: FastifyReply, status: number, error: string, errorCode: string, description: string) =>
  reply.code(status).send({ error, errors: [{ errorCode, message: description }], error_description: description });

export interface RouteOptions {
  baseUrl: () => string;
  validateWebhooks: boolean;
}

export type Routes = (app: FastifyInstance, account: StandInAccount, options: RouteOptions) => void;
