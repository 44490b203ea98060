/** A reason the helper will not go on, sent to the client as it is (code + words a user can act on). */
import type { IpcError } from '../shared/contract.js';

export class Refusal extends Error {
  constructor(readonly error: IpcError) {
    super(error.message);
  }
}
