/*
 * The expert infos (docs/fields.md, "Expert infos") in both languages.
 *
 * An expert info's summary is fixed when it is registered, at start-up,
 * before any preference is read, and Wireshark has no call to change it
 * afterwards. The summary is the name of its display-filter field and the
 * title Wireshark gives the item's kind (the Expert Information dialog's
 * groups, the filter dialogs, tshark -G fields). So each expert info is
 * registered twice, with the same abbreviation (its filter name, e.g.
 * `tcpstate.rst`): once with an English and once with a Chinese summary.
 * Wireshark allows several fields with one abbreviation; a display filter
 * on it matches either, so filters do not depend on the language.
 * experts_select() points tcpstate_id's expert fields, which render.c adds,
 * at the registrations of the `language` preference; it runs when the
 * preferences are applied and when a file is opened, so every item of a
 * dissection belongs to the set of its language. The per-item texts come in
 * that language from the core (core/notes.c).
 */
#include "experts.h"

#include <stddef.h>

#include <epan/column-info.h>
#include <epan/tap.h>

#include "reports.h"

/* One expert info: where tcpstate_id holds it, its filter name, group,
 * severity, and its summary in each language. */
typedef struct {
    size_t offset; /* of its expert_field in tcpstate_ids */
    const char *abbrev;
    int group, severity;
    const char *summary[TS_LANG_COUNT];
} expert_def;

#define EI(member, abbrev, group, severity, en, zh) \
    { offsetof(tcpstate_ids, member), abbrev, group, severity, { en, zh } }

static const expert_def defs[] = {
    EI(ei_milestone, "tcpstate.milestone", PI_SEQUENCE, PI_CHAT, "Handshake or teardown step",
       "握手或挥手的一步"),
    EI(ei_simultaneous_open, "tcpstate.simultaneous_open", PI_SEQUENCE, PI_NOTE,
       "Simultaneous open", "同时打开"),
    EI(ei_simultaneous_close, "tcpstate.simultaneous_close", PI_SEQUENCE, PI_NOTE,
       "Simultaneous close", "同时关闭"),
    EI(ei_merged_close, "tcpstate.merged_close", PI_SEQUENCE, PI_NOTE,
       "Three-way close (FIN+ACK merged)", "三次挥手（FIN 与 ACK 合并）"),
    EI(ei_half_close, "tcpstate.half_close", PI_SEQUENCE, PI_NOTE,
       "Half-close: data after the peer's FIN", "半关闭：对方发出 FIN 之后的数据"),
    EI(ei_retransmission, "tcpstate.retransmission", PI_SEQUENCE, PI_WARN,
       "Retransmitted SYN, SYN+ACK or FIN", "重传的 SYN、SYN+ACK 或 FIN"),
    EI(ei_rst, "tcpstate.rst", PI_SEQUENCE, PI_WARN, "Connection reset", "连接被复位"),
    EI(ei_after_close, "tcpstate.after_close", PI_SEQUENCE, PI_WARN,
       "Segment after the connection closed", "连接关闭之后的报文段"),
    EI(ei_midstream, "tcpstate.midstream", PI_SEQUENCE, PI_WARN, "Capture began mid-connection",
       "从连接中途开始抓包"),
    EI(ei_lost_segment, "tcpstate.lost_segment", PI_SEQUENCE, PI_NOTE,
       "A segment was lost after the capture point; state corrected",
       "抓包点之后丢失了一个报文段；状态已更正"),
    EI(ei_time_wait, "tcpstate.time_wait", PI_SEQUENCE, PI_NOTE, "TIME-WAIT",
       "TIME-WAIT（等待 2MSL）"),
    EI(ei_odd_flags, "tcpstate.odd_flags", PI_MALFORMED, PI_WARN, "Unusual TCP flag combination",
       "不寻常的 TCP 标志位组合"),
    EI(ei_data_after_fin, "tcpstate.data_after_fin", PI_SEQUENCE, PI_WARN,
       "Data beyond the sender's FIN", "发送方在自己的 FIN 之后还发数据"),
    EI(ei_unexpected, "tcpstate.unexpected", PI_SEQUENCE, PI_WARN,
       "Segment fits no transition of its sender's state",
       "报文段不符合发送方当前状态的任何状态转换"),
    EI(ei_port_reuse, "tcpstate.port_reuse", PI_SEQUENCE, PI_NOTE,
       "A new connection on the addresses and ports of an earlier one",
       "在先前连接的地址和端口上建立的新连接"),
    EI(ei_rst_ignored, "tcpstate.rst_ignored", PI_SEQUENCE, PI_WARN,
       "An RST its receiver does not accept: it changes no state",
       "接收方不接受的 RST：不改变任何状态"),
    EI(ei_stale, "tcpstate.stale", PI_SEQUENCE, PI_NOTE,
       "Sent before its sender learnt of an earlier segment (crossed or reordered): changes "
       "nothing",
       "发送方得知先前的报文段之前就已发出（交叉或乱序）：不改变任何状态"),
    EI(ei_keepalive, "tcpstate.keepalive", PI_SEQUENCE, PI_NOTE, "TCP keep-alive probe",
       "TCP 保活探测"),
    EI(ei_cannot_show, "tcpstate.cannot_show", PI_SEQUENCE, PI_NOTE,
       "Not shown by the capture: a repeated FIN whose first transmission or its acknowledgment was lost",
       "抓包无法区分：重发的 FIN，丢失的是第一次发送的 FIN 还是对它的确认"),
    EI(ei_untracked, "tcpstate.untracked", PI_MALFORMED, PI_WARN,
       "Incomplete TCP header: not tracked", "TCP 首部不完整：未跟踪"),
};

#define EXPERT_COUNT G_N_ELEMENTS(defs)

/* Wireshark keeps pointers into the registration arrays: they live for the
 * whole run. */
static expert_field registered[TS_LANG_COUNT][EXPERT_COUNT];
static ei_register_info infos[TS_LANG_COUNT][EXPERT_COUNT];
/* Their header fields (what a filter names), which the field keeps from its
 * registration to the end of the run, and the language experts_select() chose. */
static const header_field_info *registered_field[TS_LANG_COUNT][EXPERT_COUNT];
static unsigned selected;

void experts_register(int proto)
{
    expert_module_t *module = expert_register_protocol(proto);

    for (unsigned lang = 0; lang < TS_LANG_COUNT; lang++) {
        for (size_t i = 0; i < EXPERT_COUNT; i++) {
            const expert_def *d = &defs[i];
            ei_register_info info = {
                &registered[lang][i],
                { d->abbrev, d->group, d->severity, d->summary[lang], EXPFILL }
            };

            registered[lang][i] = (expert_field)EI_INIT;
            infos[lang][i] = info;
        }
        /* English first: where Wireshark keeps only one registration per
         * name (the expert severity table), the English one comes first. */
        expert_register_field_array(module, infos[lang], (int)EXPERT_COUNT);
        for (size_t i = 0; i < EXPERT_COUNT; i++)
            registered_field[lang][i] = proto_registrar_get_nth(registered[lang][i].hf);
    }
    experts_select(TS_LANG_EN);
}

void experts_select(ts_language lang)
{
    unsigned l = lang == TS_LANG_ZH_CN ? TS_LANG_ZH_CN : TS_LANG_EN;

    selected = l;
    for (size_t i = 0; i < EXPERT_COUNT; i++)
        *(expert_field *)((char *)&tcpstate_id + defs[i].offset) = registered[l][i];
}

/* The expert tap, and the fields every expert item carries (Wireshark's
 * _ws.expert tree: its message, severity and group; _ws.malformed for the
 * Malformed group): a filter, a colouring rule or a custom column on any of
 * them sees every expert info. */
static int expert_tap = -1;
static const header_field_info *generic_fields[5];
/* The GUI's status bar shows the highest severity of all the expert infos
 * added while a file is read (expert_get_highest_severity(), which tshark
 * never reads): there every dissection with a tree keeps them all, as
 * before. */
static gboolean in_gui;

void experts_init_file(void)
{
    static const char *const names[G_N_ELEMENTS(generic_fields)] = {
        "_ws.expert", "_ws.expert.message", "_ws.expert.severity", "_ws.expert.group",
        "_ws.malformed",
    };

    expert_tap = find_tap_id("expert"); /* registered once the expert module starts */
    in_gui = report_in_gui();
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        int hf = proto_registrar_get_id_byname(names[i]);
        generic_fields[i] = hf > 0 ? proto_registrar_get_nth(hf) : NULL;
    }
}

gboolean experts_seen_without_tree(const packet_info *pinfo)
{
    return (expert_tap >= 0 && have_tap_listener(expert_tap)) ||
           (pinfo->cinfo && pinfo->cinfo->col_first && pinfo->cinfo->col_first[COL_EXPERT] >= 0);
}

/* A tree that is not visible keeps only the items of referenced fields
 * (docs/performance.md): an expert info nobody refers to is dropped from it
 * unformatted, so the text the core would write for it is not needed. A
 * filter on an expert info's name refers to both its registrations (one
 * per language: experts_register), so the selected one tells. */
gboolean experts_all_seen(proto_tree *tree, const packet_info *pinfo)
{
    if ((tree && (in_gui || tree_in_full(tree))) || experts_seen_without_tree(pinfo))
        return TRUE;
    for (size_t i = 0; tree && i < G_N_ELEMENTS(generic_fields); i++)
        if (generic_fields[i] && field_seen(tree, generic_fields[i]))
            return TRUE;
    return FALSE;
}

gboolean experts_some_field_seen(proto_tree *tree)
{
    for (size_t i = 0; i < EXPERT_COUNT; i++)
        if (field_seen(tree, registered_field[selected][i]))
            return TRUE;
    return FALSE;
}

gboolean experts_field_seen(proto_tree *tree, const expert_field *ei)
{
    return tree && ei->hf >= 0 && field_seen(tree, proto_registrar_get_nth(ei->hf));
}
