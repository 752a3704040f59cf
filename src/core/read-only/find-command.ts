/**
 * `find` with an expression made only of tests, harmless options and actions that print to stdout. Every
 * primary that writes or runs (`-exec`, `-execdir`, `-ok`, `-okdir`, `-delete`, `-fprint`, `-fprint0`,
 * `-fprintf`, `-fls`) and every primary not listed here asks.
 */
import type { ShellWord } from '../shell-words.ts';
import type { CommandRule } from './option-reader.ts';

/** Primaries and how many words follow each. */
const PRIMARIES: Readonly<Record<string, number>> = {
  '-name': 1,
  '-iname': 1,
  '-path': 1,
  '-ipath': 1,
  '-wholename': 1,
  '-iwholename': 1,
  '-regex': 1,
  '-iregex': 1,
  '-lname': 1,
  '-ilname': 1,
  '-type': 1,
  '-xtype': 1,
  '-size': 1,
  '-mtime': 1,
  '-mmin': 1,
  '-atime': 1,
  '-amin': 1,
  '-ctime': 1,
  '-cmin': 1,
  '-newer': 1,
  '-anewer': 1,
  '-cnewer': 1,
  '-newermt': 1,
  '-newerct': 1,
  '-neweram': 1,
  '-perm': 1,
  '-user': 1,
  '-group': 1,
  '-uid': 1,
  '-gid': 1,
  '-links': 1,
  '-inum': 1,
  '-samefile': 1,
  '-used': 1,
  '-fstype': 1,
  '-maxdepth': 1,
  '-mindepth': 1,
  '-regextype': 1,
  '-printf': 1,
  '-nouser': 0,
  '-nogroup': 0,
  '-empty': 0,
  '-readable': 0,
  '-writable': 0,
  '-executable': 0,
  '-true': 0,
  '-false': 0,
  '-depth': 0,
  '-xdev': 0,
  '-mount': 0,
  '-follow': 0,
  '-noleaf': 0,
  '-daystart': 0,
  '-ignore_readdir_race': 0,
  '-noignore_readdir_race': 0,
  '-print': 0,
  '-print0': 0,
  '-ls': 0,
  '-prune': 0,
  '-quit': 0,
  '-not': 0,
  '-a': 0,
  '-and': 0,
  '-o': 0,
  '-or': 0,
  '!': 0,
  ',': 0,
  '(': 0,
  ')': 0,
};

/** Options before the paths: symlink handling and optimisation level (`-O3`). */
const LEADING_OPTIONS = /^-(?:H|L|P|O[0-9])$/;

export const find: CommandRule = (name, args) => {
  let index = 0;
  while (index < args.length && LEADING_OPTIONS.test(args[index]!.text) && !args[index]!.pattern) index += 1;
  // Paths: everything up to the first word find would read as the start of the expression.
  while (index < args.length && !startsExpression(args[index]!)) index += 1;
  while (index < args.length) {
    const word = args[index]!;
    if (word.pattern) return `\`${name} ${word.text}\`: a file-name pattern where find reads its expression`;
    const arity = Object.hasOwn(PRIMARIES, word.text) ? PRIMARIES[word.text] : undefined;
    if (arity === undefined) return `\`${name} ${word.text}\` is not a primary known to be harmless`;
    const values = args.slice(index + 1, index + 1 + arity);
    if (values.length < arity) return `\`${name} ${word.text}\` without its value`;
    // A pattern value would expand to several words, the later ones read as primaries.
    const patternValue = values.find((value) => value.pattern);
    if (patternValue !== undefined)
      return `\`${name} ${word.text}\` with an unquoted pattern (\`${patternValue.text}\`)`;
    index += 1 + arity;
  }
  return null;
};

function startsExpression(word: ShellWord): boolean {
  const text = word.text;
  return text.startsWith('-') || text === '!' || text === '(' || text === ')' || text === ',';
}
