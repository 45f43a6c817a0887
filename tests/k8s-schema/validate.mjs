// Validates Kubernetes manifests (one multi-document YAML file, e.g. `kubectl kustomize deploy/k8s`) two ways:
//  1. at run time against the published API schemas shipped by kubernetes-models (types, required fields, enums,
//     formats), plus a hand-written schema for the InferencePool, which no package ships;
//  2. at compile time with TypeScript against the same models' interfaces, whose excess-property check catches the
//     misspelled or misplaced field that a JSON-schema check without additionalProperties lets through.
// Usage: node validate.mjs <manifests.yaml> [--json <out.json>]. Prints one line per problem and exits 1 if there
// is any. --json also writes the documents as a JSON array for the C# cross-reference tests, with each ConfigMap's
// YAML data entries parsed under "parsedData" (the prometheus-adapter rules, the endpoint picker's config).
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";

const here = dirname(fileURLToPath(import.meta.url));

// apiVersion → module folder of the model classes. A kind not listed here is refused, never skipped.
const modelPackages = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
  "rbac.authorization.k8s.io/v1": "kubernetes-models/rbac.authorization.k8s.io/v1",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
  "gateway.networking.k8s.io/v1": "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1",
};
const handWritten = { "inference.networking.k8s.io/v1/InferencePool": "inference-pool.schema.json" };

const [file, jsonFlag, jsonOut] = process.argv.slice(2);
if (!file || (jsonFlag !== undefined && (jsonFlag !== "--json" || !jsonOut))) {
  console.error("usage: node validate.mjs <manifests.yaml> [--json <out.json>]");
  process.exit(2);
}
const documents = parseAllDocuments(readFileSync(file, "utf8")).map(d => d.toJS()).filter(d => d);
const problems = [];
const typed = [];

for (const [index, manifest] of documents.entries()) {
  const name = `${manifest.kind}/${manifest.metadata?.name ?? "?"}`;
  const schemaFile = handWritten[`${manifest.apiVersion}/${manifest.kind}`];
  if (schemaFile) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(here, schemaFile), "utf8")));
    if (!validate(manifest)) {
      for (const error of validate.errors) {
        problems.push(`${name}: ${error.instancePath || "/"} ${error.message} ${JSON.stringify(error.params)}`);
      }
    }
    continue;
  }
  const folder = modelPackages[manifest.apiVersion];
  if (!folder) {
    problems.push(`${name}: no schema for apiVersion ${manifest.apiVersion}`);
    continue;
  }
  let model;
  try {
    model = await import(`${folder}/${manifest.kind}`);
  } catch {
    problems.push(`${name}: no schema for kind ${manifest.kind} in ${manifest.apiVersion}`);
    continue;
  }
  try {
    new model[manifest.kind](manifest).validate();
  } catch (error) {
    problems.push(`${name}: ${error.message}`);
  }
  typed.push({ index, name, folder, kind: manifest.kind, manifest });
}

// Compile-time check: each manifest as an object literal typed with its model's interface.
// Written beside node_modules so the imports resolve; removed afterwards.
const work = mkdtempSync(join(here, ".types-"));
try {
  const lines = typed.map(t => `import type { I${t.kind} as T${t.index} } from "${t.folder}/${t.kind}";`);
  for (const t of typed) {
    lines.push(`// ${t.name}`);
    lines.push(`export const m${t.index}: T${t.index} = ${JSON.stringify(t.manifest, null, 2)};`);
  }
  const source = join(work, "manifests.ts");
  writeFileSync(source, lines.join("\n") + "\n");
  const tsc = join(here, "node_modules", "typescript", "bin", "tsc");
  try {
    execFileSync(process.execPath, [tsc, "--noEmit", "--strict", "--skipLibCheck", "--target", "es2022",
      "--module", "nodenext", "--moduleResolution", "nodenext", source], { cwd: here, encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    for (const line of `${error.stdout ?? ""}${error.stderr ?? ""}`.split("\n").filter(l => l.includes("error"))) {
      problems.push(`types: ${line.replace(source, "manifests.ts")}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (jsonOut) {
  const withParsed = documents.map(d => d.kind !== "ConfigMap" ? d : {
    ...d,
    parsedData: Object.fromEntries(Object.entries(d.data ?? {})
      .filter(([key]) => key.endsWith(".yaml") || key.endsWith(".yml"))
      .map(([key, value]) => [key, parseAllDocuments(value)[0].toJS()])),
  });
  writeFileSync(jsonOut, JSON.stringify(withParsed, null, 2));
}

for (const problem of problems) {
  console.log(problem);
}
console.log(`${documents.length} manifests, ${problems.length} problems`);
process.exit(problems.length === 0 ? 0 : 1);
