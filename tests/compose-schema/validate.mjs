// Checks a Compose file the way `docker compose up` would read it, without a Docker engine:
//  1. against the Compose Specification's JSON schema (the copy dclint ships, schemas/compose.schema.json);
//  2. resolves which services start for a set of profiles, by Compose's rules: the --profile flags if any are given,
//     else COMPOSE_PROFILES from the environment, else from the .env file beside the Compose file; a service without
//     `profiles` always starts, one with them only when one is active; a started service may not depend on one
//     that is not.
// Usage: node validate.mjs <compose.yml> [--profile NAME]... Prints one JSON object
// {"problems": [...], "profiles": [...], "services": [...started...]} and exits 1 if there is any problem.
import { readFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import Ajv from "ajv";

const here = dirname(fileURLToPath(import.meta.url));
const [file, ...rest] = process.argv.slice(2);
const cliProfiles = [];
for (let i = 0; i < rest.length; i += 2) {
  if (rest[i] !== "--profile" || !rest[i + 1]) {
    console.error("usage: node validate.mjs <compose.yml> [--profile NAME]...");
    process.exit(2);
  }
  cliProfiles.push(rest[i + 1]);
}
if (!file) {
  console.error("usage: node validate.mjs <compose.yml> [--profile NAME]...");
  process.exit(2);
}

const problems = [];
const document = parseDocument(readFileSync(file, "utf8"));
for (const error of document.errors) {
  problems.push(`yaml: ${error.message}`);
}
const compose = document.toJS() ?? {};

// The spec's schema names a meta-schema URL ajv does not know; the schema itself is what matters here.
const schema = JSON.parse(readFileSync(join(here, "node_modules", "dclint", "schemas", "compose.schema.json"), "utf8"));
delete schema.$schema;
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const validate = ajv.compile(schema);
if (!validate(compose)) {
  for (const error of validate.errors) {
    problems.push(`schema: ${error.instancePath || "/"} ${error.message} ${JSON.stringify(error.params)}`);
  }
}

// Compose reads the project's .env file for its own variables; the process environment wins over it.
const dotEnv = {};
const envFile = join(dirname(file), ".env");
if (existsSync(envFile)) {
  for (const line of readFileSync(envFile, "utf8").split("\n")) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match && !line.trimStart().startsWith("#")) {
      dotEnv[match[1]] = match[2].replace(/^(["'])(.*)\1$/, "$2");
    }
  }
}
const environment = { ...dotEnv, ...process.env };
const profiles = cliProfiles.length > 0
  ? cliProfiles
  : (environment.COMPOSE_PROFILES ?? "").split(",").map(p => p.trim()).filter(p => p);

const services = compose.services ?? {};
const started = Object.entries(services)
  .filter(([, service]) => !service?.profiles || service.profiles.some(p => profiles.includes(p)))
  .map(([name]) => name);
for (const name of started) {
  const dependsOn = services[name].depends_on ?? [];
  for (const dependency of Array.isArray(dependsOn) ? dependsOn : Object.keys(dependsOn)) {
    if (!started.includes(dependency)) {
      problems.push(`services.${name}.depends_on: ${dependency} does not start with profiles [${profiles.join(", ")}]`);
    }
  }
}
if (started.length === 0) {
  problems.push(`no service starts with profiles [${profiles.join(", ")}]`);
}

console.log(JSON.stringify({ problems, profiles, services: started }));
process.exit(problems.length === 0 ? 0 : 1);
