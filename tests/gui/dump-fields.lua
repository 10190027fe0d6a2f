-- Loaded into the Wireshark GUI by tests/gui/run-filter-tests.sh (with
-- -X lua_script:). Two things a test cannot do from outside the GUI:
--  * write, for every frame the GUI dissects with taps, its tcpstate fields
--    (frame, role, client state, server state) to $HOME/out.tsv;
--  * change a tcpstate preference as the Preferences dialog does (set it,
--    apply the preferences, re-dissect every frame), from the Tools menu
--    entry "TCPSTATE test: change a preference".
local out = assert(io.open(os.getenv("HOME") .. "/out.tsv", "a"))
local f_role = Field.new("tcpstate.role")
local f_client = Field.new("tcpstate.client.state")
local f_server = Field.new("tcpstate.server.state")
local tap = Listener.new("frame", "tcp")

local function text(f)
  local v = f()
  return v and tostring(v) or ""
end

function tap.packet(pinfo)
  out:write(string.format("%d\t%s\t%s\t%s\n", pinfo.number, text(f_role), text(f_client),
                          text(f_server)))
  out:flush()
end

register_menu("TCPSTATE test: change a preference", function()
  set_preference("tcpstate.info_prefix", not get_preference("tcpstate.info_prefix"))
  apply_preferences()
  redissect_packets()
end, MENU_TOOLS_UNSORTED)
