-- Loaded into the Wireshark GUI by tests/gui/run-filter-tests.sh (with
-- -X lua_script:), and into tshark by the same test, so that both write the
-- same lines. Two things a test cannot do from outside the GUI:
--  * write, for every frame dissected with taps, every tcpstate field in
--    tree order (frame number, then name=value, tab-separated) to
--    $TCPSTATE_DUMP, or $HOME/out.tsv;
--  * change a tcpstate preference as the Preferences dialog does (set it,
--    apply the preferences, re-dissect every frame), from the Tools menu
--    entry "TCPSTATE test: change a preference or open a file" (GUI only);
--  * or, from the same entry when $HOME/open.txt exists, open the file named
--    on its first line with the read filter on its second (none if empty),
--    as File > Open does (the funnel API's open_file gives its filter to the
--    GUI as a read filter), and remove open.txt.
local path = os.getenv("TCPSTATE_DUMP") or (os.getenv("HOME") .. "/out.tsv")
local out = assert(io.open(path, "a"))
local tap = Listener.new("frame", "tcp", true)

function tap.packet(pinfo)
  local line = { tostring(pinfo.number) }
  for _, fi in ipairs({ all_field_infos() }) do
    if fi.name:sub(1, 9) == "tcpstate." then
      line[#line + 1] = fi.name .. "=" .. tostring(fi.value)
    end
  end
  out:write(table.concat(line, "\t"), "\n")
  out:flush()
end

if gui_enabled() then
  -- One entry: the test picks the Tools menu's last one.
  register_menu("TCPSTATE test: change a preference or open a file", function()
    local open = os.getenv("HOME") .. "/open.txt"
    local f = io.open(open)
    if f then
      local path, filter = f:read("*l"), f:read("*l")
      f:close()
      os.remove(open)
      open_capture_file(path, filter or "")
      return
    end
    set_preference("tcpstate.info_prefix", not get_preference("tcpstate.info_prefix"))
    apply_preferences()
    redissect_packets()
  end, MENU_TOOLS_UNSORTED)
end
