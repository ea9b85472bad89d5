import type { ChatPrompt } from './messages.js';
import type { Rng } from './rng.js';
import type { FunctionTool, ToolSpec } from './tools.js';

/** Words too common to say that a message is about a tool. */
const COMMON_WORDS = new Set([
  'about', 'after', 'also', 'been', 'before', 'being', 'call', 'could', 'current', 'does', 'each', 'from', 'function', 'given',
  'have', 'here', 'into', 'just', 'know', 'like', 'make', 'more', 'most', 'need', 'only', 'other', 'please', 'return', 'returns',
  'should', 'some', 'such', 'tell', 'than', 'that', 'their', 'them', 'then', 'there', 'these', 'they', 'this', 'tool', 'used',
  'using', 'very', 'want', 'were', 'what', 'when', 'where', 'which', 'while', 'will', 'with', 'would', 'your',
]);

/** Lower-case words of four letters or more, plural "s" dropped, common words left out. */
export function keywords(text: string): Set<string> {
  const words = new Set<string>();
  // Split camelCase and snake_case names as well as prose.
  const spaced = text.slice(0, 4096).replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  for (const raw of spaced.split(/[^a-z0-9]+/)) {
    if (raw.length < 4 || COMMON_WORDS.has(raw)) continue;
    words.add(raw.length > 4 && raw.endsWith('s') && !raw.endsWith('ss') ? raw.slice(0, -1) : raw);
  }
  return words;
}

/**
 * Which functions the simulator calls, deterministically:
 * - `none`: none. A named function: that one.
 * - `auto`: when the last message is the user's, the tools whose name or
 *   description shares a keyword with it (most shared first; all of them with
 *   parallel_tool_calls, else the best); none after a tool result, so agent
 *   loops end with a text answer.
 * - `required`: as auto, whatever the last message; with no shared keyword,
 *   one tool drawn from the request's hash.
 */
export function toolsToCall(spec: ToolSpec, prompt: ChatPrompt, rng: Rng): readonly FunctionTool[] {
  const { mode, tools } = spec;
  if (mode === 'none') return [];
  if (typeof mode === 'object') return tools.filter((t) => t.name === mode.name).slice(0, 1);
  const last = prompt.messages[prompt.messages.length - 1];
  const fromUser = last?.role === 'user';
  if (mode === 'auto' && !fromUser) return [];
  const matching = fromUser ? matchingTools(tools, last.texts.join(' ')) : [];
  if (matching.length === 0) return mode === 'required' ? [rng.pick(tools)] : [];
  return spec.parallel ? matching : matching.slice(0, 1);
}

function matchingTools(tools: readonly FunctionTool[], text: string): FunctionTool[] {
  const said = keywords(text);
  if (said.size === 0) return [];
  const scored: { tool: FunctionTool; score: number; index: number }[] = [];
  tools.forEach((tool, index) => {
    let score = 0;
    for (const word of keywords(`${tool.name} ${tool.description}`)) if (said.has(word)) score++;
    if (score > 0) scored.push({ tool, score, index });
  });
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return scored.map((s) => s.tool);
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A tool call id as OpenAI writes them: `call_` and 24 letters and digits (here drawn from the request's hash). */
export function toolCallId(rng: Rng): string {
  let id = 'call_';
  for (let i = 0; i < 24; i++) id += ID_ALPHABET[rng.nextUint32() % ID_ALPHABET.length];
  return id;
}
