/**
 * Reads a command's arguments the way a GNU tool's getopt does, against an allowlist of options known to be
 * harmless, and refuses everything else. GNU getopt accepts any unambiguous abbreviation of a long option
 * (`sort --outp=f` is `--output=f`), so only exact spellings are accepted; it permutes (an option after an
 * operand is still an option), so every word before `--` that starts with `-` is read as an option.
 */
import type { ShellWord } from '../shell-words.ts';

export interface OptionSpec {
  /** Short letters that take no value (`-l`, clustered as `-la`). */
  flags?: string;
  /** Short letters that take a value, attached (`-n5`) or as the next word (`-n 5`). */
  withValue?: string;
  /** Short letters whose value, if any, is attached (`git status -uno`). */
  optionalValue?: string;
  /** Long options without a value, exact spelling. */
  long?: readonly string[];
  /** Long options with a value: `--name=value` or `--name value`. */
  longWithValue?: readonly string[];
  /** Long options whose value, if any, is attached (`--color[=when]`). */
  longOptionalValue?: readonly string[];
  /** `-NUM`, as in `head -20` or `git log -5`. */
  numeric?: boolean;
  /**
   * The tool's own parser, not getopt, gives each `withValue` letter the next word even inside a cluster
   * and reads the rest of the cluster as more letters: tree reads `-Lo 1 out` as `-L 1 -o out`.
   */
  clusterValuesFollow?: boolean;
}

export interface ReadArguments {
  /** Words that are not options or option values, in order; `-` (stdin) is one. */
  operands: ShellWord[];
  /** Every option seen, as spelled in the spec (`-l`, `--list`). */
  seen: Set<string>;
}

export type ArgumentsReading = { kind: 'read'; value: ReadArguments } | { kind: 'refused'; reason: string };

/** Null when the arguments keep the command read-only, else why not. */
export type CommandRule = (name: string, args: readonly ShellWord[]) => string | null;

/** What a command does with its operands once its options are known to be harmless. */
export type OperandRule = (name: string, read: ReadArguments) => string | null;

function refused(reason: string): ArgumentsReading {
  return { kind: 'refused', reason };
}

function unknownOption(name: string, option: string): ArgumentsReading {
  return refused(`\`${name} ${option}\` is not an option known to be harmless`);
}

/**
 * @example
 * readOptions('sort', words('-rn', '--outp=f'), { flags: 'rn', longWithValue: ['--key'] })
 * // { kind: 'refused', reason: '`sort --outp` is not an option known to be harmless' }
 */
export function readOptions(name: string, args: readonly ShellWord[], spec: OptionSpec): ArgumentsReading {
  const operands: ShellWord[] = [];
  const seen = new Set<string>();
  let index = 0;
  /** The next word as an option's value; a file-name pattern could expand to any number of words. */
  const takeValue = (option: string): string | ArgumentsReading => {
    const value = args[index];
    if (value === undefined) return refused(`\`${name} ${option}\` without its value`);
    if (value.pattern) return refused(`\`${name} ${option}\` with a file-name pattern as its value`);
    index += 1;
    return value.text;
  };
  while (index < args.length) {
    const word = args[index]!;
    index += 1;
    const text = word.text;
    if (text === '--') {
      operands.push(...args.slice(index));
      break;
    }
    if (!text.startsWith('-') || text === '-') {
      operands.push(word);
      continue;
    }
    if (word.pattern) return refused(`\`${name} ${text}\`: a file-name pattern that reads as an option`);
    if (text.startsWith('--')) {
      const equals = text.indexOf('=');
      const option = equals === -1 ? text : text.slice(0, equals);
      if (spec.long?.includes(option)) {
        if (equals !== -1) return refused(`\`${name} ${option}\` takes no value`);
      } else if (spec.longOptionalValue?.includes(option)) {
        // The value, if any, is attached.
      } else if (spec.longWithValue?.includes(option)) {
        if (equals === -1) {
          const value = takeValue(option);
          if (typeof value !== 'string') return value;
        }
      } else {
        return unknownOption(name, option);
      }
      seen.add(option);
      continue;
    }
    if (spec.numeric && /^-[0-9]+$/.test(text)) {
      seen.add('-NUM');
      continue;
    }
    for (let letterIndex = 1; letterIndex < text.length; letterIndex += 1) {
      const letter = text[letterIndex]!;
      const option = `-${letter}`;
      if (spec.flags?.includes(letter)) {
        seen.add(option);
        continue;
      }
      if (spec.optionalValue?.includes(letter)) {
        seen.add(option);
        break;
      }
      if (spec.withValue?.includes(letter)) {
        seen.add(option);
        if (spec.clusterValuesFollow) {
          const value = takeValue(option);
          if (typeof value !== 'string') return value;
          continue;
        }
        if (letterIndex === text.length - 1) {
          const value = takeValue(option);
          if (typeof value !== 'string') return value;
        }
        break;
      }
      return unknownOption(name, option);
    }
  }
  return { kind: 'read', value: { operands, seen } };
}

/** A command whose options must all be on `spec`, and whose operands `operands` judges (any by default). */
export function withOptions(spec: OptionSpec, operands: OperandRule = () => null): CommandRule {
  return (name, args) => {
    const reading = readOptions(name, args, spec);
    if (reading.kind === 'refused') return reading.reason;
    return operands(name, reading.value);
  };
}

/** Operands that must be plain words: a count or a meaning the rule relies on. */
export function noPatterns(name: string, operands: readonly ShellWord[]): string | null {
  const pattern = operands.find((operand) => operand.pattern);
  return pattern === undefined ? null : `\`${name}\` with a file-name pattern (\`${pattern.text}\`) here`;
}

export function atMostOperands(count: number, why: string): OperandRule {
  return (name, read) =>
    noPatterns(name, read.operands) ?? (read.operands.length > count ? `\`${name}\` with ${why}` : null);
}

export const noOperands: OperandRule = (name, read) =>
  read.operands.length === 0 ? null : `\`${name}\` with an operand (\`${read.operands[0]!.text}\`)`;
