#!/usr/bin/env python3
"""Writes server/src/main/resources/META-INF/openapi.yaml from a running showcase's own index.

The index (GET / with Accept: application/json) lists every endpoint of both sockets with its
summary and bounded parameters, straight from the code that routes them; this script turns it
into OpenAPI 3 and appends the shared components (components.yaml beside it). OpenApiTest
fails when the document and the routes drift apart; run this to bring them back in step:

    ./showcase --in-memory &          # then, once it is up:
    curl -s -H 'Accept: application/json' http://127.0.0.1:8080/ > /tmp/index.json
    python3 scripts/openapi/generate.py /tmp/index.json scripts/openapi/components.yaml \
        > server/src/main/resources/META-INF/openapi.yaml
"""
import json, sys, re
d = json.load(open(sys.argv[1]))
scen_desc = {}
for scen, routes in d['scenarios'].items():
    for r in routes:
        scen_desc[r['path']] = r['description']

def q(s):
    return json.dumps(s, ensure_ascii=False)

CONTENT = {
    ('get', '/'): ['text/html', 'application/json'],
    ('get', '/stream'): ['application/x-ndjson'],
    ('get', '/users/export.csv'): ['text/csv'],
    ('get', '/observe/pinning/stream'): ['text/event-stream'],
    ('get', '/s3/{bucket}/{key}'): ['application/octet-stream'],
    ('get', '/race'): ['text/html'],
    ('get', '/race/race.js'): ['text/javascript'],
    ('get', '/race/race.css'): ['text/css'],
    ('get', '/race/run'): ['text/event-stream'],
    ('get', '/observe/metrics'): ['text/plain', 'application/openmetrics-text', 'application/json'],
    ('get', '/redoc'): ['text/html'],
    ('get', '/redoc/redoc.standalone.js'): ['text/javascript'],
    ('get', '/openapi'): ['application/vnd.oai.openapi', 'application/json'],
}
# Routes that answer with a redirect: status and Location.
REDIRECTS = {
    ('get', '/docs'): ('302', '/openapi/ui/index.html'),
    ('get', '/openapi/ui'): ('307', '/openapi/ui/index.html'),
}
# Query parameters that are not bounded numbers (the index lists only those), by operation.
TEXT_PARAMS = {
    ('get', '/observe/metrics'): [
        ('scope', 'only the meters of this scope (repeatable)', "{type: string, enum: [base, vendor, application]}"),
        ('name', 'only the meters of this name, as registered (repeatable)', "{type: string, example: 'vthreads.pinned'}"),
    ],
    ('get', '/openapi'): [
        ('format', 'the document in this format, whatever Accept says', "{type: string, enum: [json, yaml, yml]}"),
    ],
    ('get', '/race/run'): [
        ('scenario', 'the scenario to race', "{type: string, enum: [sleep, http, fanout, cpu, db], default: sleep}"),
        ('styles', "comma-separated styles of that scenario, raced in this order (default: whichever of virtual, platform, reactive it offers)",
         "{type: string, example: 'virtual,platform'}"),
    ],
}
BODIES = {
    ('post', '/users'): ('application/json', ["$ref: '#/components/schemas/NewUser'"]),
    ('post', '/users/'): ('application/json', ["$ref: '#/components/schemas/NewUser'"]),
    ('post', '/hf/models/{model}'): ('application/json', ['type: object', 'required: [inputs]', 'properties:', '  inputs: {type: string, maxLength: 10000}']),
    ('post', '/runpod/run'): ('application/json', ['type: object', 'properties:', '  input: {type: object, additionalProperties: true}']),
    ('put', '/s3/{bucket}/{key}'): ('application/octet-stream', ['type: string', 'format: binary']),
    ('post', '/upload'): ('application/octet-stream', ['type: string', 'format: binary']),
    ('post', '/jobs'): ('application/json', ['type: object', 'required: [kind]', 'properties:', '  kind: {type: string, enum: [cpu, process-data, s3-upload, runpod]}', 'additionalProperties: true']),
}
out = []
w = out.append
w('openapi: 3.0.3')
w('info:')
w('  title: loom-showcase')
w('  version: "0.1.0"')
w('  description: >-')
w('    The same blocking work (sleep, an upstream HTTP call, a fan-out, a CPU loop, a DB query)')
w('    run in several styles side by side: on the request\'s virtual thread, on a bounded pool of')
w('    platform threads, on the virtual thread under a concurrency limit, as a non-blocking')
w('    CompletableFuture pipeline, inline on a blocked event loop, and deliberately pinned.')
w('    Every scenario response says which thread ran the work and')
w('    how long it took. The upstream mock (the tutorials\' external APIs) answers on a second')
w('    socket, port 8081 by default. Every error is application/problem+json. Both sockets answer')
w('    421 to a Host that is not theirs (DNS rebinding), 403 to a state-changing request from another')
w('    Origin, and 415 to a POST body that is not JSON (or octet-stream for /upload).')
w('servers:')
w('  - url: http://127.0.0.1:8080')
w('    description: the showcase (main socket)')
w('tags:')
for t, desc in [('scenarios','the scenario × style matrix: /{scenario}/{style}'),('observe','pinning, scheduler, JFR, metrics and health'),
                ('users','users CRUD on H2'),('jobs','background jobs stored in H2'),('payloads','streaming, uploads'),
                ('tutorials','the FastAPI tutorials\' own routes, each served by a matrix route'),
                ('index','the index and whoami'),('docs','this document, and the pages that show it: /docs, /redoc, /openapi.json'),('race','the race page: styles raced live against this server'),('upstream','the upstream mock on its own socket (port 8081)')]:
    w(f'  - name: {t}')
    w(f'    description: {q(desc)}')
w('paths:')
by_path = {}
for e in d['endpoints']:
    by_path.setdefault(e['path'], []).append(e)

def tag_of(e):
    p = e['path']
    if e['socket'] == 'upstream': return 'upstream'
    if p in scen_desc: return 'scenarios'
    if p.startswith('/observe'): return 'observe'
    if p.startswith('/users') and 'summary' in e and not e['summary'].startswith('tutorial'): return 'users'
    if p.startswith('/jobs'): return 'jobs'
    if p in ('/stream', '/upload'): return 'payloads'
    if p == '/race' or p.startswith('/race/'): return 'race'
    if p in ('/docs', '/redoc', '/openapi.json') or p.startswith('/openapi') or p.startswith('/redoc/'): return 'docs'
    if e['summary'].startswith('tutorial'): return 'tutorials'
    return 'index'

for path, eps in by_path.items():
    w(f'  {path}:')
    if eps[0]['socket'] == 'upstream':
        w('    servers:')
        w('      - url: http://127.0.0.1:8081')
        w('        description: the upstream mock\'s socket')
    params_path = re.findall(r'\{(\w+)\}', path)
    for e in eps:
        m = e['method'].lower()
        w(f'    {m}:')
        tag = tag_of(e)
        w(f'      tags: [{tag}]')
        summ = e['summary']
        if tag == 'scenarios':
            scen, style = path.strip('/').split('/')
            short = f"{scen} in the {style} style: " + summ.split('; ', 1)[-1]
        else:
            short = summ
        w(f'      summary: {q(short[:120])}')
        w(f'      description: {q(summ)}')
        ps = []
        for pp in params_path:
            ps.append(('path', pp, None))
        for p in e['parameters']:
            ps.append(('query', p['name'], p))
        for name, desc, schema in TEXT_PARAMS.get((e['method'].lower(), path), []):
            ps.append(('text', name, (desc, schema)))
        if ps:
            w('      parameters:')
            for where, name, p in ps:
                w(f'        - name: {name}')
                w(f'          in: {"query" if where == "text" else where}')
                if where == 'text':
                    w(f'          description: {q(p[0])}')
                    w(f'          schema: {p[1]}')
                elif where == 'path':
                    w('          required: true')
                    w('          schema:')
                    w('            type: string')
                else:
                    w(f'          description: {q(p["description"])}')
                    w('          schema:')
                    w('            type: integer')
                    w('            format: int64')
                    w(f'            minimum: {p["minimum"]}')
                    w(f'            maximum: {p["maximum"]}')
                    w(f'            default: {p["default"]}')
        body = BODIES.get((m, path))
        if body:
            w('      requestBody:')
            w('        required: true')
            w('        content:')
            w(f'          {body[0]}:')
            w('            schema:')
            for line in body[1]:
                w('              ' + line)
        w('      responses:')
        if tag == 'scenarios':
            w('        "200":')
            w('          description: the work ran; which thread ran it and how long it took')
            w('          content:')
            w('            application/json:')
            w('              schema:')
            w("                $ref: '#/components/schemas/ScenarioResult'")
        elif (m, path) in REDIRECTS:
            code, location = REDIRECTS[(m, path)]
            w(f'        "{code}":')
            w(f'          description: {q("redirects to " + location)}')
            w('          headers:')
            w('            Location:')
            w('              schema:')
            w('                type: string')
            w(f'                example: {location}')
        else:
            code = '201' if (m == 'post' and path in ('/users', '/users/', '/observe/recording/start')) or (m == 'put' and path.startswith('/s3')) else ('204' if (m == 'delete' and (path.startswith('/users') or path.startswith('/s3'))) else ('202' if (m == 'post' and path == '/jobs') else '200'))
            w(f'        "{code}":')
            w('          description: done')
            if code != '204':
                w('          content:')
                for media in CONTENT.get((m, path), ['application/json']):
                    w(f'            {media}:')
                    w('              schema:')
                    w('                type: string' if media != 'application/json' else '                type: object')
        if (m, path) in (('post', '/users'), ('post', '/users/')):
            w('        "409":')
            w("          $ref: '#/components/responses/Conflict'")
        if (m, path) in (('put', '/s3/{bucket}/{key}'), ('post', '/upload')):
            w('        "413":')
            w("          $ref: '#/components/responses/TooLarge'")
        for c, ref in [('400','BadRequest'),('404','NotFound')]:
            if c == '400' and not (ps or m in ('post','put')):
                continue
            if c == '404' and not params_path:
                continue
            w(f'        "{c}":')
            w(f"          $ref: '#/components/responses/{ref}'")
        if tag == 'scenarios' or path in ('/users','/users/','/race/run'):
            w('        "503":')
            w("          $ref: '#/components/responses/Busy'")
        if (m, path) == ('put', '/s3/{bucket}/{key}'):
            w('        "507":')
            w("          $ref: '#/components/responses/StoreFull'")
        # The browser boundary (web/BrowserBoundaryFilter): every state-changing request, every POST body, every Host.
        if m in ('post', 'put', 'patch', 'delete'):
            w('        "403":')
            w("          $ref: '#/components/responses/CrossOrigin'")
        if m == 'post' and body:
            w('        "415":')
            w("          $ref: '#/components/responses/UnsupportedBodyType'")
        w('        "421":')
        w("          $ref: '#/components/responses/UnknownHost'")
        if tag == 'scenarios' and (path.startswith('/http') or path.startswith('/fanout')):
            w('        "502":')
            w("          $ref: '#/components/responses/UpstreamFailed'")
            w('        "504":')
            w("          $ref: '#/components/responses/UpstreamTimedOut'")
w(open(sys.argv[2]).read().rstrip())
print('\n'.join(out))
