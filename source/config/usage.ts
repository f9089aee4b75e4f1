// The --help text. Every line stays within 80 columns (a unit test checks).
import {SORT_KEYS} from '../model/capabilities.js';

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
	return `natscope: a live terminal monitor for NATS servers (in the spirit of nats-top)

Usage
  natscope [address] [flags]

Address: the server's monitoring endpoint (default http://127.0.0.1:8222)
  host  host:port  :port  http://host:port  https://host:port
  [::1]:8222  http://[::1]:8222  https://proxy.example/nats  (path kept)
  A missing port means 8222, for https too. NATSCOPE_URL gives the default
  when neither an address nor -s/-m is given. nats:// addresses are not
  supported yet: give the monitoring URL.

Server
  -s, --server HOST        monitoring host (or host:port, or a URL)
  -m, --port PORT          monitoring port, default 8222
      --https-port PORT    monitoring port over https
      --tlsca FILE         CA certificate to verify the server
      --tlscert FILE       client certificate (with --tlskey)
      --tlskey FILE        client private key
      --insecure           do not verify the server's certificate
      --timeout SECONDS    per request, default 5
  TLS flags imply https when the address names no scheme.

Connections
      --sort KEY           server-side order, default cid; one of:
${sortKeys}
                           (stop and reason imply --state closed)
      --reverse            the other end of the order
  -n, --rows N             connections to fetch (default: what fits on
                           screen; 1024 for snapshots)
      --state STATE        open, closed or all (default open)
      --account NAME       only this account's connections
      --user NAME          only this user's connections
      --subject SUBJECT    only connections subscribed to it (wildcards ok)
      --subs               show the subscriptions column
      --lookup             reverse-DNS client addresses
  -b, --raw                raw numbers instead of 1.2K / 3.4M
  -d, --interval SECONDS   refresh interval, at least 0.1, default 1

Snapshots for scripts (no terminal needed)
      --once               print one text snapshot and exit
  -o, --output FILE        write the snapshot to FILE (- = stdout), exit
  -r, --refreshes N        print N snapshots, one per interval, then exit
      --json               print JSON instead of text
      --delimiter STR      print rows separated by STR (e.g. , or '\\t')
  --json and --delimiter print one snapshot unless -r is given.

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
  natscope --once --sort bytes_to -n 10 > top10.txt
  natscope --json -n 20 | jq .
  natscope --delimiter , -r 60 -d 5 -o conns.csv

Exit codes
  0  ok
  1  server unreachable or answering with errors
  2  bad usage (unknown flag, bad value)
`;
}
