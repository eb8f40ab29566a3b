// A fake Node harness for the client tests: speaks the real protocol and
// echoes every case back, except where its fault (argv[2]) says otherwise.
// Per-case faults hit the `--at N`-th case of each process (default 2).
// Faults: crash-on-start, crash-mid-run, hang, non-json, wrong-seq, stderr-flood.
import readline from "node:readline";

const args = process.argv.slice(2);
const fault = args[0] && !args[0].startsWith("--") ? args[0] : null;
const atIndex = args.indexOf("--at");
const at = atIndex >= 0 ? Number(args[atIndex + 1]) : 2;
let cases = 0;

function write(text) {
  process.stdout.write(text + "\n");
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  const request = JSON.parse(line);
  if (request.cmd === "start") {
    if (fault === "crash-on-start") {
      process.stderr.write("fake node harness: crashing on start\n");
      process.exit(3);
    }
    write(JSON.stringify({
      ready: true,
      implementation: { name: "fake-node", language: "javascript", sdk: "fake-sdk", sdk_version: "0.0.0" },
    }));
  } else if (request.cmd === "models") {
    write(JSON.stringify({ models: [{ name: "Echo", directions: ["request", "response"] }] }));
  } else if (request.cmd === "run") {
    cases += 1;
    let seq = request.seq;
    const testCase = request.case;
    const current = cases === at ? fault : null;
    if (current === "crash-mid-run") {
      process.stderr.write(`fake node harness: crashing on case ${testCase.id}\n`);
      process.exit(3);
    }
    if (current === "hang") {
      process.stderr.write(`fake node harness: hanging on case ${testCase.id}\n`);
      setInterval(() => {}, 60000);
      await new Promise(() => {});
    }
    if (current === "non-json") {
      write("this line is not JSON");
      continue;
    }
    if (current === "wrong-seq") seq -= 1;
    if (current === "stderr-flood") {
      const chunk = "x".repeat(1023) + "\n";
      for (let i = 0; i < 4096; i++) process.stderr.write(chunk);
      process.stderr.write("fake node harness: end of flood\n");
    }
    const text = testCase.wire_text;
    write(`{"seq":${seq},"accepted":true,"wire_text":${JSON.stringify(text)},"native":${text}}`);
  } else if (request.cmd === "stop") {
    process.exit(0);
  }
}
