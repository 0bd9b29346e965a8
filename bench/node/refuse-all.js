// The floor for refusals: a server that does nothing but refuse. Every POST is read to its end
// and answered 503 with Retry-After, as an overloaded function answers; GET /readyz is 200 so
// that bench/settings.sh can start it like the others (`bench/settings.sh -c 64 floor`). Whatever
// latency a refusal has here comes from the load generator's own loop and the machine, not from
// any work of the server's.

import http from 'node:http';

const port = Number(process.env.PORT || 8080);
const problem = JSON.stringify({ title: 'Overloaded', status: 503 });

http
  .createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('Healthy');
      return;
    }
    req.resume();
    req.on('end', () => {
      res
        .writeHead(503, { 'Retry-After': '1', 'Content-Type': 'application/problem+json', 'Content-Length': Buffer.byteLength(problem) })
        .end(problem);
    });
  })
  .listen(port, '127.0.0.1');
