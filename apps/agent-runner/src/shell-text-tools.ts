/** find, sed, awk and sort: read-only unless their options make them write or run programs. */
import { type CommandPlan, type Handler, isOption, plan, read, write } from './shell-plan';
import { Refusal, type WordValue } from './shell-words';

const FIND_ACTIONS = /^-(exec|execdir|ok|okdir|delete|fprint|fprint0|fprintf|fls)$/;
export const FIND: Handler = (args) => {
  const action = args.find((word) => FIND_ACTIONS.test(word.value));
  if (action)
    throw new Refusal(
      `\`find ${action.value}\` is not allowed: list the files with find (or Glob) and run the command on them yourself`,
    );
  return plan(args.map(read));
};

const SED_SCRIPT =
  /^\s*(?:(?:\d+|\$|\/(?:[^/\\]|\\.)*\/)(?:\s*,\s*(?:\d+|\$|[+~]\d+|\/(?:[^/\\]|\\.)*\/))?)?\s*!?\s*(?:[pdqQ=nNgGhHxlz{}]?|s([^\\\n])(?:(?!\1)[^\\]|\\.)*\1(?:(?!\1)[^\\]|\\.)*\1[gpiImM0-9]*|y([^\\\n])(?:(?!\2)[^\\]|\\.)*\2(?:(?!\2)[^\\]|\\.)*\2)\s*$/;
export const SED: Handler = (args, rules) => {
  const inPlace = args.some((word) => /^(-i|--in-place)/.test(word.value) || /^-[a-zA-Z]*i/.test(word.value));
  if (inPlace && !rules.fileManagement)
    throw new Refusal('`sed -i` edits files: use the Edit tool (coder only) or print with `sed -n`');
  if (args.some((word) => /^(-f|--file)/.test(word.value)))
    throw new Refusal('sed script files are not analysed: pass the script with -e');
  const scripts: WordValue[] = [];
  const files: WordValue[] = [];
  for (let index = 0; index < args.length; index++) {
    const word = args[index] as WordValue;
    if (word.value === '-e' || word.value === '--expression') scripts.push(args[++index] as WordValue);
    else if (word.value.startsWith('--expression=')) scripts.push({ ...word, value: word.value.slice(13) });
    else if (!isOption(word)) files.push(word);
  }
  if (scripts.length === 0 && files.length > 0) scripts.push(files.shift() as WordValue);
  for (const script of scripts) {
    const commands = (script?.value ?? '').split(/[;\n]/);
    if (!commands.every((command) => SED_SCRIPT.test(command)))
      throw new Refusal(
        'this sed script is not analysed (only addresses with p/d/q/= and s///, y/// without the w and e flags): print lines with `sed -n` and edit with the Edit tool',
      );
  }
  return plan(files.map(inPlace ? write : read), { writes: inPlace });
};

export const AWK: Handler = (args) => {
  const words = [...args];
  const files: WordValue[] = [];
  let program: WordValue | undefined;
  for (let index = 0; index < words.length; index++) {
    const word = words[index] as WordValue;
    if (/^(-f|--file|-i|--include|-l|--load|-E|--exec)/.test(word.value))
      throw new Refusal('awk program files and extensions are not analysed: pass the program inline');
    if (word.value === '-v' || word.value === '-F') index++;
    else if (isOption(word)) continue;
    else if (!program) program = word;
    else files.push(word);
  }
  if (program && /\bsystem\b|\bgetline\b|\||>|\bENVIRON\b|\bfflush\b/.test(program.value))
    throw new Refusal(
      'awk programs with `system`, `getline`, pipes or `>` (output to files, also comparisons) are not allowed: use `<` or grep/sed instead',
    );
  return plan(files.map(read));
};

export const SORT: Handler = (args) => {
  const paths: CommandPlan['paths'] = [];
  let writes = false;
  for (let index = 0; index < args.length; index++) {
    const word = args[index] as WordValue;
    if (word.value === '-o' || word.value === '--output') {
      const target = args[++index];
      if (target) paths.push(write(target));
      writes = true;
    } else if (/^(-o.|--output=)/.test(word.value)) {
      paths.push(write({ ...word, value: word.value.replace(/^(-o|--output=)/, '') }));
      writes = true;
    } else paths.push(read(word));
  }
  return plan(paths, { writes });
};
