// The --help text. Kept within 80 columns.
export function usageText(): string {
	return `natscope: a live terminal monitor for a NATS server

Usage
  natscope [address] [flags]

Address (the monitoring port, default http://127.0.0.1:8222)
  http://host:8222   https://host:8222   host:8222   host   :8222   [::1]:8222

Connection
  -s, --server HOST      monitoring host (nats-top -s)
  -m, --port PORT        monitoring port (nats-top -m)
      --https-port PORT  monitoring port over https (nats-top -ms)
      --tlsca FILE       CA to verify the server (nats-top -cacert)
      --tlscert FILE     client certificate (nats-top -cert)
      --tlskey FILE      client key (nats-top -key)
      --insecure         skip certificate verification (nats-top -k)
      --timeout SECONDS  per request, default 5

Connections view
      --sort KEY         pending cid subs msgs_to msgs_from bytes_to bytes_from
                         idle last uptime start rtt stop reason (default cid;
                         nats-top -sort)
      --reverse          the other end of the order
  -n, --rows N           connections fetched per refresh (default: the screen)
      --state STATE      open, closed or all (default open)
      --account ACC      only this account's connections
      --user USER        only this user's connections
      --subject SUBJ     only connections subscribed to SUBJ (wildcards ok)
      --subs             show the subscriptions column
      --lookup           reverse-DNS client addresses (nats-top -lookup)
  -b, --raw              raw numbers instead of 1.2K / 3.4MiB
  -d, --interval SECS    refresh interval, default 1

For scripts (no TTY needed, no colour, no escape codes)
      --once             print one text snapshot and exit
  -o, --output FILE      write the snapshot to FILE (- for stdout)
      --json             print one JSON document (raw numbers)
      --delimiter STR    print delimited rows with a header line
  -r, --refreshes N      print N snapshots, one per interval, then exit
  Rates need two samples: the first snapshot comes one interval after start.

  -h, --help             this text
  -v, --version          the version

Exit codes: 0 ok, 1 server unreachable or erroring, 2 bad usage.

Examples
  natscope                            # http://127.0.0.1:8222
  natscope nats1.example.com:8222 --sort pending
  natscope -s 10.0.0.5 -m 8222 -n 100 -sort pending
  natscope https://nats:8222 --tlsca ca.pem --tlscert c.pem --tlskey k.pem
  natscope --json --sort pending -n 20 | jq '.connections.rows[0]'
`;
}
