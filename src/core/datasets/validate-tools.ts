/** The `tools` list of a line (OpenAI's and TRL's shape: `{type: 'function', function: {name, description, parameters}}`). */
import { isObject } from './line-problem.ts';

export function toolsProblem(tools: unknown): string | null {
  if (tools === undefined) return null;
  if (!Array.isArray(tools)) return 'tools must be a list';
  for (const tool of tools) {
    if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function)) {
      return 'each tool must be {type: "function", function: {...}}';
    }
    if (typeof tool.function.name !== 'string' || !isObject(tool.function.parameters)) {
      return 'each tool function needs a name and a parameters object';
    }
  }
  return null;
}
