import { compile, TreeInterpreter } from '@jmespath-community/jmespath';
import { InvalidArgumentError } from 'commander';

/** A `--query` expression (JMESPath, as az's), compiled once when the command line is read. */
export interface Query {
  readonly text: string;
  readonly ast: ReturnType<typeof compile>;
}

/** commander's parser for `--query`: a malformed expression is a usage error, worded as az words it. */
export function parseQuery(text: string): Query {
  try {
    return { text, ast: compile(text) };
  } catch {
    throw new InvalidArgumentError(`invalid jmespath_type value: '${text}'`);
  }
}

/** Applies the query to a command's result (its JSON form). An expression that fails on the data (an unknown function) throws. */
export function applyQuery(query: Query, value: unknown): unknown {
  return TreeInterpreter.search(query.ast, value as never);
}
