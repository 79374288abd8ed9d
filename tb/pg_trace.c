/* SPDX-License-Identifier: MIT */
/* pg_trace.c — the trace parser. */
#include "pg_trace.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_bus.h"
#include "pg_hw.h"

#define MAX_LINE   4096
#define MAX_TOKENS 32

typedef struct {
  const char *name;
  unsigned line;
  char *err;
  size_t errlen;
  int eptp_set; /* a valid eptp was written earlier in the trace */
} ctx_t;

static int fail(ctx_t *c, const char *fmt, ...) {
  int n = snprintf(c->err, c->errlen, "%s:%u: ", c->name, c->line);
  if (n < 0 || (size_t)n >= c->errlen)
    return -1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
  va_end(ap);
  return -1;
}

/* A number: decimal, or 0x followed by hex digits; must fit 64 bits. */
static int parse_u64(ctx_t *c, const char *what, const char *s, uint64_t *out) {
  if (*s == '\0')
    return fail(c, "%s: empty value", what);
  uint64_t v = 0;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    const char *p = s + 2;
    if (*p == '\0')
      return fail(c, "%s: bad number '%s'", what, s);
    for (; *p; p++) {
      unsigned d;
      if (*p >= '0' && *p <= '9')
        d = (unsigned)(*p - '0');
      else if (*p >= 'a' && *p <= 'f')
        d = (unsigned)(*p - 'a' + 10);
      else if (*p >= 'A' && *p <= 'F')
        d = (unsigned)(*p - 'A' + 10);
      else
        return fail(c, "%s: bad number '%s'", what, s);
      if (v >> 60)
        return fail(c, "%s: number '%s' does not fit in 64 bits", what, s);
      v = (v << 4) | d;
    }
  } else {
    for (const char *p = s; *p; p++) {
      if (*p < '0' || *p > '9')
        return fail(c, "%s: bad number '%s'", what, s);
      unsigned d = (unsigned)(*p - '0');
      if (v > (UINT64_MAX - d) / 10)
        return fail(c, "%s: number '%s' does not fit in 64 bits", what, s);
      v = v * 10 + d;
    }
  }
  *out = v;
  return 0;
}

static int parse_bit(ctx_t *c, const char *what, const char *s, uint64_t *out) {
  if (parse_u64(c, what, s, out))
    return -1;
  if (*out > 1)
    return fail(c, "%s must be 0 or 1, not '%s'", what, s);
  return 0;
}

static int parse_size(ctx_t *c, const char *s, unsigned *size) {
  uint64_t v;
  if (parse_u64(c, "SIZE", s, &v))
    return -1;
  if (v != 1 && v != 2 && v != 4 && v != 8)
    return fail(c, "SIZE must be 1, 2, 4 or 8, not '%s'", s);
  *size = (unsigned)v;
  return 0;
}

static int fits(uint64_t v, unsigned size) {
  return size == 8 || (v >> (8 * size)) == 0;
}

static int parse_priv(ctx_t *c, const char *s, uint8_t *user) {
  if (strcmp(s, "u") == 0)
    *user = 1;
  else if (strcmp(s, "s") == 0)
    *user = 0;
  else
    return fail(c, "privilege must be 'u' or 's', not '%s'", s);
  return 0;
}

/* Splits KEY=VALUE; returns the value (possibly empty) or NULL. */
static char *split_kv(char *tok) {
  char *eq = strchr(tok, '=');
  if (!eq)
    return NULL;
  *eq = '\0';
  return eq + 1;
}

static int need(ctx_t *c, int ntok, int want, const char *usage) {
  if (ntok < want)
    return fail(c, "missing operand; usage: %s", usage);
  return 0;
}

static int parse_phys(ctx_t *c, char **tok, int ntok, pg_cmd_t *cmd) {
  const char *usage =
      cmd->kind == PG_CMD_PHYS_WRITE ? "phys.write PA VALUE [SIZE]" : "phys.check PA VALUE [SIZE]";
  if (need(c, ntok, 3, usage))
    return -1;
  if (ntok > 4)
    return fail(c, "unexpected '%s'; usage: %s", tok[4], usage);
  cmd->size = 8;
  if (parse_u64(c, "PA", tok[1], &cmd->pa) || parse_u64(c, "VALUE", tok[2], &cmd->value) ||
      (ntok == 4 && parse_size(c, tok[3], &cmd->size)))
    return -1;
  if (cmd->pa & (cmd->size - 1))
    return fail(c, "PA 0x%llx is not aligned to SIZE %u", (unsigned long long)cmd->pa, cmd->size);
  if (!pg_bus_is_ram(cmd->pa, cmd->size))
    return fail(c, "PA 0x%llx is not RAM (RAM is 0x0-0xbfffffff)", (unsigned long long)cmd->pa);
  if (!fits(cmd->value, cmd->size))
    return fail(c, "VALUE %s does not fit in %u bytes", tok[2], cmd->size);
  return 0;
}

static int parse_ctl(ctx_t *c, char **tok, int ntok, pg_cmd_t *cmd) {
  static const struct {
    const char *key;
    pg_ctl_field_t field;
  } keys[] = {{"cr3", PG_CTL_CR3},   {"wp", PG_CTL_WP},     {"nxe", PG_CTL_NXE},
              {"smep", PG_CTL_SMEP}, {"smap", PG_CTL_SMAP}, {"pcide", PG_CTL_PCIDE},
              {"pge", PG_CTL_PGE},   {"la57", PG_CTL_LA57}, {"pke", PG_CTL_PKE},
              {"pks", PG_CTL_PKS},   {"pkru", PG_CTL_PKRU}, {"pkrs", PG_CTL_PKRS},
              {"ept", PG_CTL_EPT},   {"eptp", PG_CTL_EPTP}, {"vpid", PG_CTL_VPID}};
  if (ntok < 2)
    return fail(c, "missing operand; usage: ctl cr3=V wp=0|1 nxe=0|1 smep=0|1 smap=0|1 "
                   "pcide=0|1 pge=0|1 la57=0|1 pke=0|1 pks=0|1 pkru=V pkrs=V ept=0|1 eptp=V "
                   "vpid=N (any subset)");
  for (int i = 1; i < ntok; i++) {
    char *val = split_kv(tok[i]);
    if (!val)
      return fail(c, "expected KEY=VALUE, got '%s'", tok[i]);
    size_t k = 0;
    while (k < sizeof keys / sizeof keys[0] && strcmp(keys[k].key, tok[i]) != 0)
      k++;
    if (k == sizeof keys / sizeof keys[0])
      return fail(c, "unknown ctl key '%s'", tok[i]);
    for (unsigned j = 0; j < cmd->nctl; j++)
      if (cmd->ctl_field[j] == keys[k].field)
        return fail(c, "ctl key '%s' given twice", tok[i]);
    uint64_t v;
    if (keys[k].field == PG_CTL_CR3) {
      if (parse_u64(c, "cr3", val, &v))
        return -1;
      if (v & CR3_RSVD_MASK)
        return fail(c, "cr3=%s sets reserved bits 62:52", val);
    } else if (keys[k].field == PG_CTL_PKRU || keys[k].field == PG_CTL_PKRS) {
      if (parse_u64(c, tok[i], val, &v))
        return -1;
      if (v >> 32)
        return fail(c, "%s=%s does not fit in 32 bits (%s)", tok[i], val,
                    keys[k].field == PG_CTL_PKRU ? "PKRU is a 32-bit register"
                                                 : "IA32_PKRS bits 63:32 are reserved");
    } else if (keys[k].field == PG_CTL_EPTP) {
      if (parse_u64(c, "eptp", val, &v))
        return -1;
      if (!pg_eptp_valid(v))
        return fail(c,
                    "eptp=%s is not an EPTP VM entry accepts (memory type 0 or 6 in bits "
                    "2:0, page-walk length 3 or 4 in bits 5:3, bits 11:7 and 63:52 zero)",
                    val);
      c->eptp_set = 1;
    } else if (keys[k].field == PG_CTL_VPID) {
      if (parse_u64(c, "vpid", val, &v))
        return -1;
      if (v > 0xffff)
        return fail(c, "vpid=%s does not fit in 16 bits", val);
    } else if (parse_bit(c, tok[i], val, &v)) {
      return -1;
    }
    if (keys[k].field == PG_CTL_EPT && v && !c->eptp_set)
      return fail(c, "ept=1 before any eptp=V: VM entry needs a valid EPT pointer");
    cmd->ctl_field[cmd->nctl] = keys[k].field;
    cmd->ctl_value[cmd->nctl] = v;
    cmd->nctl++;
  }
  /* A line that writes ept or vpid is a VM entry or exit: the CR3 it
   * writes is loaded from the VMCS, with no flush. */
  int vm = 0;
  for (unsigned j = 0; j < cmd->nctl; j++)
    vm |= cmd->ctl_field[j] == PG_CTL_EPT || cmd->ctl_field[j] == PG_CTL_VPID;
  for (unsigned j = 0; j < cmd->nctl && vm; j++)
    if (cmd->ctl_field[j] == PG_CTL_CR3)
      cmd->ctl_field[j] = PG_CTL_VM_CR3;
  return 0;
}

static int parse_expect(ctx_t *c, const char *key, const char *val, pg_cmd_t *cmd) {
  pg_expect_t *e = &cmd->exp;
  uint64_t v;
  if (strcmp(key, "expect.exit") == 0) {
    if (e->status_set)
      return fail(c, "only one of expect.err, expect.gp, expect.bus, expect.exit may be given");
    if (strcmp(val, "violation") != 0 && strcmp(val, "misconfig") != 0)
      return fail(c, "expect.exit takes violation or misconfig, not '%s'", val);
    e->status_set = 1;
    e->status = val[0] == 'v' ? PG_ST_EPT : PG_ST_EPTMC;
    return 0;
  }
  if (parse_u64(c, key, val, &v))
    return -1;
  if (strcmp(key, "expect.pa") == 0) {
    if (e->pa_set)
      return fail(c, "expect.pa given twice");
    e->pa_set = 1;
    e->pa = v;
  } else if (strcmp(key, "expect.data") == 0) {
    if (e->data_set)
      return fail(c, "expect.data given twice");
    if (cmd->acc.op == PG_OP_STORE)
      return fail(c, "expect.data is not allowed on a store (a store returns no data)");
    if (!fits(v, cmd->acc.size))
      return fail(c, "expect.data=%s does not fit in %u bytes", val, cmd->acc.size);
    e->data_set = 1;
    e->data = v;
  } else if (strcmp(key, "expect.qual") == 0 || strcmp(key, "expect.gpa") == 0 ||
             strcmp(key, "expect.gla") == 0) {
    int q = key[7] == 'q', gpa = key[8] == 'p'; /* expect.qual, expect.gpa, expect.gla */
    uint8_t *set = q ? &e->qual_set : gpa ? &e->gpa_set : &e->gla_set;
    uint64_t *to = q ? &e->qual : gpa ? &e->gpa : &e->gla;
    if (*set)
      return fail(c, "%s given twice", key);
    *set = 1;
    *to = v;
  } else if (strcmp(key, "expect.err") == 0 || strcmp(key, "expect.gp") == 0 ||
             strcmp(key, "expect.bus") == 0) {
    if (e->status_set)
      return fail(c, "only one of expect.err, expect.gp, expect.bus, expect.exit may be given");
    e->status_set = 1;
    if (key[7] == 'e') {
      if (v > 0xffffffffu)
        return fail(c, "expect.err=%s does not fit in 32 bits", val);
      e->status = PG_ST_PF;
      e->err_set = 1;
      e->err = (uint32_t)v;
    } else {
      if (v != 1)
        return fail(c, "%s takes only the value 1", key);
      e->status = key[7] == 'g' ? PG_ST_GP : PG_ST_BUS;
    }
  } else {
    return fail(c, "unknown key '%s'", key);
  }
  return 0;
}

static int parse_access(ctx_t *c, char **tok, int ntok, pg_cmd_t *cmd) {
  const char *usage = cmd->acc.op == PG_OP_STORE  ? "store u|s VA SIZE VALUE [ac=1] [expect.…]"
                      : cmd->acc.op == PG_OP_LOAD ? "load u|s VA SIZE [ac=1] [expect.…]"
                                                  : "fetch u|s VA SIZE [expect.…]";
  int npos = cmd->acc.op == PG_OP_STORE ? 5 : 4;
  if (need(c, ntok, npos, usage))
    return -1;
  for (int i = 1; i < npos; i++)
    if (strchr(tok[i], '='))
      return fail(c, "missing operand before '%s'; usage: %s", tok[i], usage);
  if (parse_priv(c, tok[1], &cmd->acc.user) || parse_u64(c, "VA", tok[2], &cmd->acc.va) ||
      parse_size(c, tok[3], &cmd->acc.size))
    return -1;
  if (cmd->acc.va & (cmd->acc.size - 1))
    return fail(c, "VA 0x%llx is not aligned to SIZE %u", (unsigned long long)cmd->acc.va,
                cmd->acc.size);
  if (cmd->acc.op == PG_OP_STORE) {
    if (parse_u64(c, "VALUE", tok[4], &cmd->acc.wdata))
      return -1;
    if (!fits(cmd->acc.wdata, cmd->acc.size))
      return fail(c, "VALUE %s does not fit in %u bytes", tok[4], cmd->acc.size);
  }
  int seen_ac = 0;
  for (int i = npos; i < ntok; i++) {
    char *val = split_kv(tok[i]);
    if (!val)
      return fail(c, "unexpected '%s'; usage: %s", tok[i], usage);
    if (strcmp(tok[i], "ac") == 0) {
      uint64_t v;
      if (cmd->acc.op == PG_OP_FETCH)
        return fail(c, "ac= does not apply to a fetch (SMAP checks data accesses only)");
      if (seen_ac++)
        return fail(c, "ac given twice");
      if (parse_bit(c, "ac", val, &v))
        return -1;
      cmd->acc.ac = (uint8_t)v;
    } else if (strncmp(tok[i], "expect.", 7) == 0) {
      if (parse_expect(c, tok[i], val, cmd))
        return -1;
    } else {
      return fail(c, "unknown key '%s'", tok[i]);
    }
  }
  pg_expect_t *e = &cmd->exp;
  int exit_set = e->status_set && (e->status == PG_ST_EPT || e->status == PG_ST_EPTMC);
  if ((e->qual_set || e->gpa_set || e->gla_set) && !exit_set)
    return fail(c, "expect.qual, expect.gpa and expect.gla need expect.exit=violation|misconfig");
  if ((e->qual_set || e->gla_set) && e->status == PG_ST_EPTMC)
    return fail(c, "a misconfiguration has no qualification or guest-linear address: "
                   "only expect.gpa goes with expect.exit=misconfig");
  if (e->status_set && e->status != PG_ST_BUS && e->pa_set)
    return fail(c, "expect.pa contradicts the expected fault");
  if (e->status_set && e->data_set)
    return fail(c, "expect.data contradicts the expected fault");
  if (!e->status_set && (e->pa_set || e->data_set)) {
    e->status_set = 1; /* expecting a value implies expecting success */
    e->status = PG_ST_OK;
  }
  return 0;
}

static int parse_cmd(ctx_t *c, char **tok, int ntok, pg_cmd_t *cmd) {
  const char *op = tok[0];
  if (strcmp(op, "phys.write") == 0 || strcmp(op, "phys.check") == 0) {
    cmd->kind = op[5] == 'w' ? PG_CMD_PHYS_WRITE : PG_CMD_PHYS_CHECK;
    return parse_phys(c, tok, ntok, cmd);
  }
  if (strcmp(op, "ctl") == 0) {
    cmd->kind = PG_CMD_CTL;
    return parse_ctl(c, tok, ntok, cmd);
  }
  if (strcmp(op, "load") == 0 || strcmp(op, "store") == 0 || strcmp(op, "fetch") == 0) {
    cmd->kind = PG_CMD_ACCESS;
    cmd->acc.op = op[0] == 'l' ? PG_OP_LOAD : op[0] == 's' ? PG_OP_STORE : PG_OP_FETCH;
    return parse_access(c, tok, ntok, cmd);
  }
  if (strcmp(op, "invlpg") == 0) {
    cmd->kind = PG_CMD_INVLPG;
    if (need(c, ntok, 2, "invlpg VA"))
      return -1;
    if (ntok > 2)
      return fail(c, "unexpected '%s'; usage: invlpg VA", tok[2]);
    return parse_u64(c, "VA", tok[1], &cmd->va);
  }
  if (strcmp(op, "invpcid") == 0) {
    const char *usage = "invpcid TYPE PCID VA";
    uint64_t type, pcid;
    cmd->kind = PG_CMD_INVPCID;
    if (need(c, ntok, 4, usage))
      return -1;
    if (ntok > 4)
      return fail(c, "unexpected '%s'; usage: %s", tok[4], usage);
    if (parse_u64(c, "TYPE", tok[1], &type) || parse_u64(c, "PCID", tok[2], &pcid) ||
        parse_u64(c, "VA", tok[3], &cmd->va))
      return -1;
    if (type > 3)
      return fail(c, "invpcid TYPE must be 0..3, not %s", tok[1]);
    if (pcid > CR3_PCID_MASK)
      return fail(c, "invpcid PCID must be 0..4095, not %s", tok[2]);
    if (type == 0 && !pg_va_canonical_bits(cmd->va, VA_BITS_LA57))
      return fail(c, "invpcid type 0 with a non-canonical VA (the CPU raises #GP)");
    cmd->inv_type = (unsigned)type;
    cmd->pcid = (uint16_t)pcid;
    return 0;
  }
  if (strcmp(op, "invept") == 0) {
    const char *usage = "invept 1 EPTP | invept 2";
    uint64_t type;
    cmd->kind = PG_CMD_INVEPT;
    if (need(c, ntok, 2, usage) || parse_u64(c, "TYPE", tok[1], &type))
      return -1;
    if (type != 1 && type != 2)
      return fail(c, "invept TYPE must be 1 (single context) or 2 (all), not %s", tok[1]);
    if (ntok != (type == 1 ? 3 : 2))
      return fail(c,
                  type == 1 ? "invept 1 takes one EPTP; usage: %s"
                            : "invept 2 takes no operand; usage: %s",
                  usage);
    if (type == 1) {
      if (parse_u64(c, "EPTP", tok[2], &cmd->eptp))
        return -1;
      if (!pg_eptp_valid(cmd->eptp))
        return fail(c, "invept 1 with an invalid EPTP %s (the instruction fails)", tok[2]);
    }
    cmd->inv_type = (unsigned)type;
    return 0;
  }
  if (strcmp(op, "invvpid") == 0) {
    const char *usage = "invvpid 0 VPID VA | invvpid 1|2|3 VPID";
    uint64_t type, vpid;
    cmd->kind = PG_CMD_INVVPID;
    if (need(c, ntok, 3, usage) || parse_u64(c, "TYPE", tok[1], &type) ||
        parse_u64(c, "VPID", tok[2], &vpid))
      return -1;
    if (type > 3)
      return fail(c, "invvpid TYPE must be 0..3, not %s", tok[1]);
    if (ntok != (type == 0 ? 4 : 3))
      return fail(c,
                  type == 0 ? "invvpid 0 takes VPID and VA; usage: %s"
                            : "invvpid 1, 2 and 3 take only a VPID; usage: %s",
                  usage);
    if (vpid > 0xffff)
      return fail(c, "invvpid VPID must be 0..65535, not %s", tok[2]);
    if (vpid == 0 && type != 2)
      return fail(c, "invvpid type %u with VPID 0 (the instruction fails)", (unsigned)type);
    if (type == 0) {
      if (parse_u64(c, "VA", tok[3], &cmd->va))
        return -1;
      if (!pg_va_canonical_bits(cmd->va, VA_BITS_LA57))
        return fail(c, "invvpid type 0 with a non-canonical VA (the instruction fails)");
    }
    cmd->inv_type = (unsigned)type;
    cmd->vpid = (uint16_t)vpid;
    return 0;
  }
  if (strcmp(op, "poll") == 0) {
    const char *usage = "poll u|s VA MASK VALUE [max=CYCLES]";
    cmd->kind = PG_CMD_POLL;
    cmd->acc.op = PG_OP_LOAD;
    cmd->acc.size = 8;
    cmd->max = PG_POLL_DEFAULT_MAX;
    if (need(c, ntok, 5, usage))
      return -1;
    if (parse_priv(c, tok[1], &cmd->acc.user) || parse_u64(c, "VA", tok[2], &cmd->acc.va) ||
        parse_u64(c, "MASK", tok[3], &cmd->mask) || parse_u64(c, "VALUE", tok[4], &cmd->value))
      return -1;
    if (cmd->acc.va & 7)
      return fail(c, "poll VA 0x%llx is not 8-byte aligned", (unsigned long long)cmd->acc.va);
    if (ntok > 6)
      return fail(c, "unexpected '%s'; usage: %s", tok[6], usage);
    if (ntok == 6) {
      char *val = split_kv(tok[5]);
      if (!val || strcmp(tok[5], "max") != 0)
        return fail(c, "unknown key '%s'; usage: %s", tok[5], usage);
      if (parse_u64(c, "max", val, &cmd->max))
        return -1;
      if (cmd->max == 0)
        return fail(c, "poll max must be at least 1 cycle");
    }
    return 0;
  }
  if (strcmp(op, "wait") == 0) {
    cmd->kind = PG_CMD_WAIT;
    if (need(c, ntok, 2, "wait CYCLES"))
      return -1;
    if (ntok > 2)
      return fail(c, "unexpected '%s'; usage: wait CYCLES", tok[2]);
    return parse_u64(c, "CYCLES", tok[1], &cmd->max);
  }
  return fail(c, "unknown command '%s'", op);
}

static int push(pg_trace_t *t, const pg_cmd_t *cmd) {
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 64;
    pg_cmd_t *p = realloc(t->cmds, cap * sizeof *p);
    if (!p)
      return -1;
    t->cmds = p;
    t->cap = cap;
  }
  t->cmds[t->n++] = *cmd;
  return 0;
}

int pg_trace_parse_buffer(const char *name, const char *buf, size_t len, pg_trace_t *t, char *err,
                          size_t errlen) {
  ctx_t c = {name, 0, err, errlen, 0};
  memset(t, 0, sizeof *t);
  t->name = strdup(name);

  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)buf[i];
    if (ch == 0 || (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7f) {
      c.line = 1;
      for (size_t j = 0; j < i; j++)
        c.line += buf[j] == '\n';
      fail(&c, "binary data (byte 0x%02x): not a trace file", ch);
      pg_trace_free(t);
      return -1;
    }
  }

  size_t pos = 0;
  char line[MAX_LINE + 1];
  while (pos < len) {
    size_t end = pos;
    while (end < len && buf[end] != '\n')
      end++;
    c.line++;
    if (end - pos > MAX_LINE) {
      fail(&c, "line longer than %d characters", MAX_LINE);
      pg_trace_free(t);
      return -1;
    }
    memcpy(line, buf + pos, end - pos);
    line[end - pos] = '\0';
    pos = end + 1;

    char *hash = strchr(line, '#');
    if (hash)
      *hash = '\0';
    char *tok[MAX_TOKENS];
    int ntok = 0;
    for (char *s = strtok(line, " \t\r"); s; s = strtok(NULL, " \t\r")) {
      if (ntok == MAX_TOKENS) {
        fail(&c, "too many words on one line (at most %d)", MAX_TOKENS);
        pg_trace_free(t);
        return -1;
      }
      tok[ntok++] = s;
    }
    if (ntok == 0)
      continue;
    pg_cmd_t cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.line = c.line;
    if (parse_cmd(&c, tok, ntok, &cmd)) {
      pg_trace_free(t);
      return -1;
    }
    if (push(t, &cmd)) {
      fail(&c, "out of memory");
      pg_trace_free(t);
      return -1;
    }
  }
  return 0;
}

int pg_trace_parse_file(const char *path, pg_trace_t *t, char *err, size_t errlen) {
  memset(t, 0, sizeof *t);
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    return -1;
  }
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
    len += got;
    if (len == cap) {
      cap *= 2;
      char *nb = realloc(buf, cap);
      if (!nb) {
        free(buf);
        buf = NULL;
      }
      buf = nb;
    }
  }
  int rd_err = ferror(f);
  fclose(f);
  if (!buf || rd_err) {
    snprintf(err, errlen, "%s: cannot read: %s", path, buf ? "read error" : "out of memory");
    free(buf);
    return -1;
  }
  err[0] = '\0';
  int rc = pg_trace_parse_buffer(path, buf, len, t, err, errlen);
  free(buf);
  return rc;
}

void pg_trace_free(pg_trace_t *t) {
  free(t->name);
  free(t->cmds);
  memset(t, 0, sizeof *t);
}
