# The rows of -z tcpstate,conv,tsv as the stream table (report_table.c)
# shows them: its columns' order, "[v6]:port" endpoints, "-" for no history
# or RTT, blank-separated. Used by tests/plugin/run-table-tests.sh and
# tests/gui/run-gui-tests.sh:  awk -F'\t' -f conv-table-rows.awk FILE.tsv
function ep(a, p) { return (a ~ /:/ ? "[" a "]" : a) ":" p }
NR > 1 {
    print $1, ep($2, $3), ep($4, $5), $6, ($7 == "" ? "-" : $7), $8, $9, $10, $11, $12, $13,
          ($14 == "" ? "-" : $14), $15, $16, $17, $18, $19
}
