-- Loaded into the Wireshark GUI by run-gui-read-filter-tests.sh: for every
-- frame the GUI dissects with taps while it reads the file, one line of its
-- tcpstate fields (frame, role, client state, server state) to the file
-- named by TCPSTATE_GUI_OUT.
local f_role = Field.new("tcpstate.role")
local f_client = Field.new("tcpstate.client.state")
local f_server = Field.new("tcpstate.server.state")
local out = assert(io.open(os.getenv("TCPSTATE_GUI_OUT"), "w"))
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
