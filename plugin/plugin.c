/*
 * The symbols Wireshark's plugin loader looks for. Wireshark 4.0 and 4.2/4.4
 * want plugin_version, plugin_want_major/minor and plugin_register(); 4.2+
 * also reads the optional plugin_describe() from <wsutil/plugins.h>, which 4.0
 * does not have.
 */
#define WS_BUILD_DLL
#include <wireshark.h>
#include <epan/proto.h>

#if defined(__has_include)
#if __has_include(<wsutil/plugins.h>)
#include <wsutil/plugins.h>
#endif
#endif

#include "tcpstate_plugin.h"

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = TCPSTATE_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

void plugin_register(void)
{
    static proto_plugin plugin;

    plugin.register_protoinfo = proto_register_tcpstate;
    plugin.register_handoff = proto_reg_handoff_tcpstate;
    proto_register_plugin(&plugin);
}

#ifdef WS_PLUGIN_DESC_DISSECTOR
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif
