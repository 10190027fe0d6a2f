# Namespaces and the direct client-server veth link of the sample captures,
# shared by make-captures.sh and make-snaplen-68.sh (source it). Uses
# NS_CLI, NS_SRV, MAC_CLI, MAC_SRV, CLI4, SRV4, CLI6 and SRV6.

veth_up() {
    local ns=$1 ifc=$2
    ip -n "$ns" link set "$ifc" up
    ip netns exec "$ns" ethtool -K "$ifc" tso off gso off gro off tx off >/dev/null
}

new_namespace() {
    ip netns add "$1"
    ip -n "$1" link set lo up
}

# client <-> server, IPv4 and IPv6.
setup_direct() {
    new_namespace "$NS_CLI"
    new_namespace "$NS_SRV"
    ip -n "$NS_CLI" link add cli0 address "$MAC_CLI" type veth \
        peer name srv0 address "$MAC_SRV" netns "$NS_SRV"
    veth_up "$NS_CLI" cli0
    veth_up "$NS_SRV" srv0
    ip -n "$NS_CLI" addr add "$CLI4/24" dev cli0
    ip -n "$NS_SRV" addr add "$SRV4/24" dev srv0
    ip -n "$NS_CLI" addr add "$CLI6/64" dev cli0 nodad
    ip -n "$NS_SRV" addr add "$SRV6/64" dev srv0 nodad
    ip -n "$NS_CLI" neigh replace "$SRV4" lladdr "$MAC_SRV" dev cli0 nud permanent
    ip -n "$NS_CLI" neigh replace "$SRV6" lladdr "$MAC_SRV" dev cli0 nud permanent
    ip -n "$NS_SRV" neigh replace "$CLI4" lladdr "$MAC_CLI" dev srv0 nud permanent
    ip -n "$NS_SRV" neigh replace "$CLI6" lladdr "$MAC_CLI" dev srv0 nud permanent
}
