// The editor's view of content.yaml, for the agreement tests in this folder.
//
// Reads one JSON request per line on stdin and answers each with one JSON line on stdout, so
// that one node process serves a whole test session (node starts in ~0.3 s; a document takes
// a few milliseconds):
//
//   {"schema": {...}}          use this JSON Schema for every later document  -> {"ok": true}
//   {"text": "..."}            -> {"parse": {...}, "diagnostics": [...]}
//   {"text": "...", "complete": {"line": L, "character": C}}  -> {"completion": [...]}
//
// "parse" is what yaml-language-server's own parse (the `yaml` package, YAML 1.2, with the
// options the server uses) makes of the text: its errors and warnings, and the data of the
// first document with the position of every node. "diagnostics" is what the language
// service's doValidation publishes to an editor: syntax errors and schema problems.
// Positions are 0-based line and character, as in LSP.
'use strict';

const readline = require('node:readline');
const YAML = require('yaml');
const { yamlDocumentsCache } = require('yaml-language-server/lib/umd/languageservice/parser/yaml-documents');
const { getLanguageService } = require('yaml-language-server/lib/umd/languageservice/yamlLanguageService');
const { TextDocument } = require('vscode-languageserver-textdocument');

const DOC_URI = 'file:///kiosk/content.yaml';
const SCHEMA_URI = 'file:///kiosk/content.schema.json';
let schemaText = '{}';
let version = 0; // the service caches a parse per document URI and version

const service = getLanguageService({
  schemaRequestService: (uri) =>
    uri.endsWith('content.schema.json')
      ? Promise.resolve(schemaText)
      : Promise.reject(new Error(`no schema at ${uri}`)),
  workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).toString() },
});

function configure(schema) {
  schemaText = JSON.stringify(schema);
  service.configure({
    validate: true,
    completion: true,
    hover: false,
    yamlVersion: '1.2',
    customTags: [],
    schemas: [{ uri: SCHEMA_URI, fileMatch: ['content.yaml'], schema }],
  });
  service.resetSchema(SCHEMA_URI);
}

// JSON has no NaN or infinity: send them as {"$number": "NaN" | "Infinity" | "-Infinity"}.
function number(value) {
  return Number.isFinite(value) ? value : { $number: String(value) };
}

function lineCol(document, offset) {
  const { line, character } = document.positionAt(offset);
  return [line, character];
}

// The data of one node as the editor reads it, and where each node starts. Keys are the text
// of the key as written when YAML reads it as something else than a string (a key `2020:` is
// "2020"), as kiosk's reader keeps them.
function walk(node, path, positions, document) {
  if (node === null || node === undefined) return null;
  if (node.range) positions.push([path, ...lineCol(document, node.range[0])]);
  if (YAML.isAlias(node)) return { $alias: node.source };
  if (YAML.isScalar(node)) {
    const value = node.value;
    if (typeof value === 'number') return number(value);
    if (typeof value === 'bigint') return Number(value);
    if (value === undefined) return null;
    return value;
  }
  if (YAML.isMap(node)) {
    const result = {};
    for (const pair of node.items) {
      const key = pair.key;
      let name;
      if (YAML.isScalar(key)) {
        name = typeof key.value === 'string' ? key.value : key.source ?? String(key.value);
      } else if (key === null || key === undefined) {
        name = '';
      } else {
        continue; // a key that is a list or mapping
      }
      if (key && key.range) positions.push([[...path, name], ...lineCol(document, key.range[0]), 'key']);
      result[name] = walk(pair.value, [...path, name], positions, document);
    }
    return result;
  }
  if (YAML.isSeq(node)) {
    return node.items.map((item, index) => walk(item, [...path, index], positions, document));
  }
  return { $unknown: String(node) };
}

function problems(list, document) {
  return list.map((error) => ({
    code: error.code,
    message: error.message.split('\n')[0],
    at: lineCol(document, error.pos[0]),
  }));
}

// What the server's own parse (the one doValidation just cached for this version of the
// document: yamlParser07, YAML 1.2, strict false) made of the text.
function parsed(document) {
  const options = { customTags: [], yamlVersion: '1.2' };
  const documents = yamlDocumentsCache
    .getYamlDocument(document, options, true)
    .documents.map((single) => single.internalDocument);
  const result = { documents: documents.length, errors: [], warnings: [], data: null, positions: [] };
  documents.forEach((parsedDocument, index) => {
    result.errors.push(...problems(parsedDocument.errors, document));
    result.warnings.push(...problems(parsedDocument.warnings, document));
    if (index === 0) result.data = walk(parsedDocument.contents, [], result.positions, document);
  });
  return result;
}

async function read(text) {
  const document = TextDocument.create(DOC_URI, 'yaml', ++version, text);
  const found = await service.doValidation(document, false);
  const diagnostics = found.map((diagnostic) => ({
    at: [diagnostic.range.start.line, diagnostic.range.start.character],
    end: [diagnostic.range.end.line, diagnostic.range.end.character],
    severity: diagnostic.severity,
    message: diagnostic.message,
  }));
  return { parse: parsed(document), diagnostics };
}

async function completion(text, position) {
  const document = TextDocument.create(DOC_URI, 'yaml', ++version, text);
  const list = await service.doComplete(document, position, false);
  return list.items.map((item) => ({
    label: item.label,
    kind: item.kind,
    insertText: item.insertText ?? item.textEdit?.newText ?? item.label,
  }));
}

async function answer(request) {
  if (request.schema) {
    configure(request.schema);
    return { ok: true };
  }
  if (request.complete) return { completion: await completion(request.text, request.complete) };
  return read(request.text);
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    let reply;
    try {
      reply = await answer(JSON.parse(line));
    } catch (error) {
      reply = { failure: String(error && error.stack ? error.stack : error) };
    }
    process.stdout.write(JSON.stringify(reply) + '\n');
  });
});
