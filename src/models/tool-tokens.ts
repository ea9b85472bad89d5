import { isSchemaObject, propertiesOf, typesOf } from './json-schema.js';
import type { Tokenizer } from './tokenizer.js';
import type { FunctionTool } from './tools.js';

/**
 * Prompt tokens of function definitions, by the rule of OpenAI's cookbook
 * ("How to count tokens with tiktoken", num_tokens_for_tools): per function
 * 7 tokens (10 for cl100k_base models) + "name:description"; 3 more when it
 * has properties, and per property 3 + "name:type:description", enums
 * -3 + 3 and the text per value; 12 for the whole list. Nested schemas are
 * not counted further (the cookbook's rule does not say how).
 */
export function countToolTokens(tools: readonly FunctionTool[], tok: Tokenizer): number {
  if (tools.length === 0) return 0;
  const funcInit = tok.name === 'o200k_base' ? 7 : 10;
  let total = 12;
  for (const tool of tools) {
    total += funcInit + tok.count(`${tool.name}:${withoutFinalDot(tool.description)}`);
    const properties = tool.parameters === undefined ? undefined : propertiesOf(tool.parameters);
    if (properties === undefined || Object.keys(properties).length === 0) continue;
    total += 3;
    for (const [key, sub] of Object.entries(properties)) {
      total += 3;
      const schema = isSchemaObject(sub) ? sub : {};
      const values = schema['enum'];
      if (Array.isArray(values)) {
        total -= 3;
        for (const value of values) total += 3 + tok.count(String(value));
      }
      const description = typeof schema['description'] === 'string' ? schema['description'] : '';
      total += tok.count(`${key}:${typesOf(schema).join(',')}:${withoutFinalDot(description)}`);
    }
  }
  return total;
}

function withoutFinalDot(text: string): string {
  return text.endsWith('.') ? text.slice(0, -1) : text;
}
