#include "verdicts.h"

#include <epan/wmem_scopes.h>

#include "bytes_hash.h"
#include "dense_table.h"

typedef struct {
    uint32_t events;
    uint8_t sender, role, phase, step, step_total;
    uint8_t prev[2], state[2];
    uint8_t assumed, attempt, rst_kind, corrected, conn_state;
    uint8_t cause[2], rst_ignored;
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
    v.events = r->events;
    v.sender = r->sender;
    v.role = r->role;
    v.phase = r->phase;
    v.step = r->step;
    v.step_total = r->step_total;
    v.prev[0] = r->prev[0];
    v.prev[1] = r->prev[1];
    v.state[0] = r->state[0];
    v.state[1] = r->state[1];
    v.assumed = r->assumed;
    v.attempt = r->attempt;
    v.rst_kind = r->rst_kind;
    v.corrected = r->corrected;
    v.conn_state = conn_state;
    v.cause[0] = r->cause[0];
    v.cause[1] = r->cause[1];
    v.rst_ignored = r->rst_ignored;

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
    r->events = v->events;
    r->sender = v->sender;
    r->role = v->role;
    r->phase = v->phase;
    r->step = v->step;
    r->step_total = v->step_total;
    r->prev[0] = v->prev[0];
    r->prev[1] = v->prev[1];
    r->state[0] = v->state[0];
    r->state[1] = v->state[1];
    r->assumed = v->assumed;
    r->attempt = v->attempt;
    r->rst_kind = v->rst_kind;
    r->corrected = v->corrected;
    r->cause[0] = v->cause[0];
    r->cause[1] = v->cause[1];
    r->rst_ignored = v->rst_ignored;
    *conn_state = v->conn_state;
}
