/**
 * What a session transport needs from the cluster (cluster.ts) to carry its streams across
 * nodes; kept apart so the transport does not import the cluster that imports it.
 */
import type { RequestId } from "../../protocol/jsonrpc.js";
import type { StoredMessage } from "./event-store.js";
import type { SseWriter } from "./sse.js";

export interface Subscription {
  stop(): void;
  /** Resolves once messages published from now on will be received (undefined: already so). */
  ready?: Promise<unknown>;
}

/** How a session transport hands events and resumed streams to the cluster. */
export interface StreamRouting {
  /** A call stream began here. */
  opened(streamId: string, requestIds: RequestId[]): void;
  /** An event was stored; `final`: its stream's last reply. */
  stored(streamId: string, eventId: string, json: string, final: boolean): void;
  /** A call stream ended without a final reply (it was cancelled). */
  finished(streamId: string): void;
  /** Writes to `writer` what other nodes store for this stream (the GET stream open here). */
  watch(streamId: string, writer: SseWriter, skip?: ReadonlySet<string>): Subscription;
  /** A resumed call stream no call here owns: follow it from the node running it. */
  follow(streamId: string, writer: SseWriter, replayed: ReadonlySet<string>): Follower;
}

export interface Follower {
  /** Resolves once the stream's live events will reach it (await before replaying). */
  ready?: Promise<unknown>;
  /** A message the replay sent (its responses are answered already). */
  replayed(message: StoredMessage): void;
  /** The replay is done: end the stream, keep following, or fail it if its node is gone. */
  afterReplay(): Promise<void>;
  stop(): void;
}

