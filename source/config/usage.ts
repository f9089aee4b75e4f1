// The --help text. Every line stays within 80 columns (a unit test checks).
import {SORT_KEYS} from '../model/capabilities.js';
import {VIEW_NAMES} from './types.js';

function wrap(words: readonly string[], indent: string, width = 78): string[] {
	const lines: string[] = [];
	let line = indent;
	for (const word of words) {
		if (line.length > indent.length && line.length + 1 + word.length > width) {
			lines.push(line);
			line = indent;
		}
		line += line.length > indent.length ? ` ${word}` : word;
	}
	if (line.length > indent.length) lines.push(line);
	return lines;
}

export function usageText(): string {
	const sortKeys = wrap(SORT_KEYS, ' '.repeat(27)).join('\n');
	const views = wrap(VIEW_NAMES, ' '.repeat(27)).join('\n');
	return `natscope: a live terminal monitor for NATS servers (in the spirit of nats-top)

Usage
  natscope [address...] [flags]

Address: where the data comes from (default http://127.0.0.1:8222)
  The monitoring port (HTTP), one server or several:
    host  host:port  :port  http://host:port  https://host:port
    [::1]:8222  http://[::1]:8222  https://proxy.example/nats  (path kept)
    A missing port means 8222, for https too.
  The system account over NATS (no monitoring port needed):
    nats://host:4222  tls://host:4222  nats://user:pass@host  nats://token@host
    A missing port means 4222; credentials in the URL become the login.
  Several addresses: all http(s) or all nats://; mixing is an error.
  With no address: NATSCOPE_URL, then NATS_URL, then the nats context's url;
  NATS login flags alone mean nats://127.0.0.1:4222.

Server
  -s, --server HOST        monitoring host (or host:port, or a URL)
  -m, --port PORT          monitoring port, default 8222
      --https-port PORT    monitoring port over https
      --tlsca FILE         CA certificate to verify the server
      --tlscert FILE       client certificate (with --tlskey)
      --tlskey FILE        client private key
      --insecure           do not verify the server's certificate
      --timeout SECONDS    per request, default 5
  TLS flags imply https when the address names no scheme; over NATS they
  apply to the client connection.

Over NATS (a system account user; these need a nats:// address)
      --user NAME          login name (with --password; alone it is sent
                           as a token, as the nats CLI does)
      --password PASS      login password (prefer NATS_PASSWORD or a context:
                           the command line is visible to other users)
      --token TOKEN        login token
      --creds FILE         user JWT and seed (nsc generate creds)
      --nkey FILE          nkey user seed file (SU...)
      --tlsfirst           TLS handshake before the server's INFO
      --inbox-prefix P     subject prefix for replies (default _INBOX)
      --context NAME       a nats CLI context (~/.config/nats/context/)
      --no-context         ignore NATS_CONTEXT and the selected context
      --server-name NAME   only this server answers
      --cluster NAME       only servers of this cluster answer
      --host HOST          only servers on this host answer
      --tags A,B           only servers with all these tags answer
      --explain-config     print every setting and where it came from
                           (secrets masked), then exit
  Each setting comes from the flag, else the environment (NATS_URL,
  NATS_USER, NATS_PASSWORD, NATS_TOKEN, NATS_CREDS, NATS_NKEY, NATS_CERT,
  NATS_KEY, NATS_CA, NATS_TIMEOUT), else the context (--context, else
  NATS_CONTEXT, else the one selected in context.txt). Context values
  env://VAR and file://PATH are read as the nats CLI reads them.

Connections
      --sort KEY           server-side order, default cid; one of:
${sortKeys}
                           (stop and reason imply --state closed)
      --reverse            the other end of the order
  -n, --rows N             connections to fetch (default: what fits on
                           screen; 1024 for snapshots)
      --state STATE        open, closed or all (default open)
      --account NAME       only this account's connections
      --filter-user NAME   only this user's connections
      --user NAME          the same, over HTTP (over NATS it is the login)
      --subject SUBJECT    only connections subscribed to it (wildcards ok)
      --subs               show the subscriptions column
      --lookup             reverse-DNS client addresses
  -b, --raw                raw numbers instead of 1.2K / 3.4M
  -d, --interval SECONDS   refresh interval, at least 0.1, default 1

Views, recordings and the local server
      --view NAME          start in this view; one of:
${views}
      --record FILE        also write every response to FILE
      --replay FILE        play a recording (no server needed)
      --demo               built-in demo data (no server needed)
      --pid N              the local nats-server process (for signals)
      --pid-file PATH      read that process id from PATH
      --prof-port PORT     the server's profiling port (prof_port)
      --prof-url URL       the server's pprof URL, instead of --prof-port
      --lag-refreshes N    refreshes a lag must last to be flagged (3)

Snapshots for scripts (no terminal needed)
      --once               print one text snapshot and exit
  -o, --output FILE        write the snapshot to FILE (- = stdout), exit
  -r, --refreshes N        print N snapshots, one per interval, then exit
      --json               print JSON instead of text
      --delimiter STR      print rows separated by STR (e.g. , or '\\t')
  --json and --delimiter print one snapshot unless -r is given.
  Rates in a snapshot come from two samples 0.1 s apart, or -d apart when -d is
  given (-d 1: per-second rates over a whole second); -r N: one interval apart.

  -h, --help               show this text
  -v, --version            show the version

nats-top flags work as typed
  -s HOST  -m PORT  -ms PORT  -n N  -d SECS  -sort KEY  -lookup  -b
  -o FILE  -r N  -cert FILE  -key FILE  -cacert FILE  -k  -v
  (-ms = --https-port, -cert/-key/-cacert = --tlscert/--tlskey/--tlsca,
  -k = --insecure, -b = --raw). Unlike nats-top, host:port works too.

Examples
  natscope                                  # http://127.0.0.1:8222
  natscope nats1.example.com:8222 --sort pending
  natscope -s 10.0.0.5 -m 8223 -n 50 -sort pending -lookup
  natscope https://nats.example:8443 --tlsca ca.pem
  natscope http://n1:8222 http://n2:8222 http://n3:8222   # a cluster
  natscope nats://n1:4222 --creds sys.creds                # over NATS
  natscope tls://n1:4222 --creds sys.creds --tlsca ca.pem
  NATS_PASSWORD=... natscope nats://n1:4222 --user sys --cluster east
  natscope --context prod                   # a nats CLI context
  natscope --context prod --explain-config  # where each setting is from
  natscope --once --sort bytes_to -n 10 > top10.txt
  natscope --json -n 20 | jq .
  natscope --delimiter , -r 60 -d 5 -o conns.csv
  natscope --demo                           # recorded cluster, no server
  natscope nats://n1:4222 --creds sys.creds --record incident.ndjson.gz
  natscope --replay incident.ndjson.gz      # ] [ speed, Space pause, . , step
  natscope --view jetstream n1:8222         # start in the JetStream view
  natscope signal reload --pid-file /var/run/nats.pid
  natscope profile cpu --seconds 10 --prof-port 65432
  node natscope.mjs --demo                  # the one-file bundle, Node >= 20

Exit codes
  0  ok
  1  server unreachable or answering with errors
  2  bad usage (unknown flag, bad value) or a bad file (context, creds,
     nkey seed): one line says which and what is wrong
`;
}
