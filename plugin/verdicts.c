#include "verdicts.h"

#include <epan/wmem_scopes.h>

#include "bytes_hash.h"
#include "dense_table.h"

/* The core's verdict (every field of it: tcpstate_core.h lists them once)
 * and the Zeek conn_state of the frame. */
typedef struct {
    ts_verdict core;
    uint8_t conn_state;
} verdict;

static wmem_map_t *index_of; /* verdict -> index + 1 */
static dense_table *by_index; /* index -> verdict */
static uint32_t count;

static guint verdict_hash(gconstpointer key)
{
    return bytes_hash(key, sizeof(verdict));
}

static gboolean verdict_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(verdict)) == 0;
}

void verdicts_init(void)
{
    index_of = wmem_map_new(wmem_file_scope(), verdict_hash, verdict_equal);
    by_index = dense_table_new(sizeof(verdict));
    count = 0;
}

uint16_t verdicts_intern(const ts_result *r, uint8_t conn_state)
{
    verdict v, *stored;
    gpointer found;

    memset(&v, 0, sizeof v); /* padding too: the key is hashed as bytes */
    ts_verdict_of(r, &v.core);
    v.conn_state = conn_state;

    found = wmem_map_lookup(index_of, &v);
    if (found)
        return (uint16_t)(GPOINTER_TO_UINT(found) - 1);
    if (count >= VERDICT_NONE)
        return VERDICT_NONE;
    stored = (verdict *)dense_table_at(by_index, count);
    *stored = v;
    wmem_map_insert(index_of, stored, GUINT_TO_POINTER(count + 1));
    return (uint16_t)count++;
}

void verdicts_apply(uint16_t id, ts_result *r, uint8_t *conn_state)
{
    const verdict *v = (const verdict *)dense_table_find(by_index, id);

    if (!v)
        return;
    ts_verdict_apply(&v->core, r);
    *conn_state = v->conn_state;
}
