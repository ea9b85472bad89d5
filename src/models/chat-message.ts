import type { TokenLogprob } from './logprobs.js';

/** The shapes of a chat answer's message, as OpenAI writes them. */
export type ToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } };

export type AssistantMessage = {
  role: 'assistant';
  /** null when the answer is a tool call. */
  content: string | null;
  tool_calls?: ToolCall[];
  /** The legacy `functions` API's single call. */
  function_call?: { name: string; arguments: string };
  refusal: null;
  annotations: never[];
};

export type ChatLogprobs = { content: TokenLogprob[] | null; refusal: null };

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'function_call';
