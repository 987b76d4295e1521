import { createInterface } from 'node:readline';

/**
 * Where the CLI gets a password from, so it need not be typed on the command line (where shell
 * history and the process list keep it): a hidden prompt on a terminal (asked twice), otherwise
 * the first line of standard input (`echo "$PW" | npm run cli -- user:create …`).
 */
export async function readPassword(input: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (input.isTTY) {
    const first = await promptHidden(input, 'Password: ');
    const again = await promptHidden(input, 'Password again: ');
    if (first !== again) throw new PasswordInputError('the two passwords differ');
    return first;
  }
  const line = await firstLine(input);
  if (line === undefined) throw new PasswordInputError('no password on standard input');
  return line;
}

export class PasswordInputError extends Error {}

function firstLine(input: NodeJS.ReadableStream): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      lines.close();
      resolve(line);
    });
    lines.once('close', () => {
      if (!answered) resolve(undefined);
    });
    input.once('error', reject);
  });
}

/** Reads one line from a terminal without echoing it (Ctrl-C aborts, backspace edits). */
function promptHidden(input: NodeJS.ReadStream, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    process.stderr.write(prompt);
    let value = '';
    const wasRaw = input.isRaw;
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    const done = (error?: Error) => {
      input.setRawMode(wasRaw);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new PasswordInputError('cancelled'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else if (char >= ' ') value += char;
      }
    };
    input.on('data', onData);
  });
}
