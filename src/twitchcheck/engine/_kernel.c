/*
 * The engine's compiled inner loop: exact posterior marginals of a two-layer noisy-OR network
 * with leak, for one query, in one call. Python keeps the model, the checks and the NumPy
 * implementation (engine/inference.py), which stays the reference and the fallback; this file
 * does the same arithmetic without NumPy's per-call overhead, which dominated small queries.
 *
 * Steps, as in inference.py:
 *   1. Absent findings factorise over causes (Quickscore): each cause's weight is multiplied
 *      by prod (1 - q); the leaks contribute prod (1 - leak).
 *   2. Positive findings are split into groups that share no cause (union-find).
 *   3. In each group, a cause linked to one positive only ("private") is folded into that
 *      positive's leak exactly; its posterior follows in closed form afterwards from the
 *      positive's off-ratio R_b = E[P(b off | s) / P(b on | s) | evidence].
 *   4. The shared ("core") causes are solved exactly by the cheaper of two methods:
 *      - forward-backward over the 2^m states "which positives are switched on" (cheap when
 *        few positives share many causes);
 *      - a junction tree over the core causes (cheap when the causes form a thin graph,
 *        whatever the number of positives), built by greedy min-fill elimination.
 *      Both only add and multiply probabilities (no subtraction, so no cancellation); each
 *      factor P(positive on | its parents) is computed as -expm1(log P(off)).
 *   Groups too large for either method within the memory budget are left to Python
 *   (solve() returns None), which uses its own checkpointed pass or its approximation.
 *
 * Pure and deterministic: no global state, no randomness; the GIL is released while solving.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CAPSULE_NAME "twitchcheck.engine._kernel.network"

/* Largest table (doubles) either method may allocate for one group: 2^23 = 64 MiB (a call
 * may ask for less). */
#define TABLE_BUDGET (1u << 23)
/* Largest junction-tree clique, in causes. */
#define MAX_CLIQUE 22
/* Largest forward-backward state, in positives. */
#define MAX_FB_BITS 22
/* At most this many positives in a group, the forward-backward pass (2^m <= 64 states) costs
 * about what planning a junction tree would: the automatic choice takes it without planning. */
#define FB_WITHOUT_PLANNING_BITS 6

enum { METHOD_AUTO = 0, METHOD_FB = 1, METHOD_JT = 2 };
enum { OK = 0, TOO_LARGE = 1, NO_MEMORY = -1 };

typedef struct {
    Py_ssize_t n_causes;
    Py_ssize_t n_findings;
    int64_t *ptr;      /* links of finding f: ptr[f] .. ptr[f+1]-1 */
    int64_t *cause;    /* cause of each link */
    double *q;         /* P(f | that cause alone) */
    double *log_keep;  /* log(1 - q) */
    double *log_leak_off; /* log(1 - leak_f) */
} Network;

static void network_free(Network *net) {
    if (!net) return;
    free(net->ptr);
    free(net->cause);
    free(net->q);
    free(net->log_keep);
    free(net->log_leak_off);
    free(net);
}

static void capsule_destructor(PyObject *capsule) {
    network_free((Network *)PyCapsule_GetPointer(capsule, CAPSULE_NAME));
}

static double log_add_exp(double a, double b) {
    double hi = a > b ? a : b, lo = a > b ? b : a;
    if (hi == -INFINITY) return -INFINITY;
    return hi + log1p(exp(lo - hi));
}

/* ---------------------------------------------------------------- one group's core problem */

typedef struct {
    int m;                 /* positives in the group */
    int k;                 /* core causes */
    const double *p;       /* core causes' probabilities after the negatives, [k] */
    const double *log_off; /* each positive's log P(off) from its leak and private causes, [m] */
    /* core links, grouped by positive: links of bit b are lptr[b] .. lptr[b+1]-1 */
    const int *lptr;
    const int *lvar;       /* core cause index */
    const double *lq;
    const double *lkeep;   /* log(1 - q) */
    /* outputs */
    double *marginal;      /* [k] */
    double *off_ratio;     /* [m] */
    double log_z;
} Core;

/* In place: every entry with `bit` off moves a share q of its mass to the entry with it on. */
static void switch_on(double *v, size_t size, int bit, double q) {
    size_t low = (size_t)1 << bit;
    for (size_t hi = 0; hi < size; hi += 2 * low)
        for (size_t i = hi; i < hi + low; i++) {
            double off = v[i];
            v[i + low] += off * q;
            v[i] = off * (1.0 - q);
        }
}

/* The transpose of switch_on (for the backward vectors). */
static void switch_on_t(double *v, size_t size, int bit, double q) {
    size_t low = (size_t)1 << bit;
    for (size_t hi = 0; hi < size; hi += 2 * low)
        for (size_t i = hi; i < hi + low; i++) v[i] = (1.0 - q) * v[i] + q * v[i + low];
}

/* Forward-backward over the positives' switched-on states (inference.py's
 * _exact_component_state). Cost ~ 2^m x (links + causes). */
static int solve_fb(Core *c) {
    const int m = c->m, k = c->k;
    const size_t size = (size_t)1 << m, full = size - 1;
    /* per cause, its links (bit, q): transpose the per-bit lists */
    int *cptr = calloc((size_t)k + 1, sizeof(int));
    int n_links = c->lptr[m];
    int *cbit = malloc(sizeof(int) * (size_t)(n_links ? n_links : 1));
    double *cq = malloc(sizeof(double) * (size_t)(n_links ? n_links : 1));
    double *beta = malloc(sizeof(double) * size * (size_t)k);
    double *alpha = malloc(sizeof(double) * size);
    double *active = malloc(sizeof(double) * size);
    int *fill = calloc((size_t)k + 1, sizeof(int));
    int status = OK;
    if (!cptr || !cbit || !cq || !beta || !alpha || !active || !fill) {
        status = NO_MEMORY;
        goto done;
    }
    for (int l = 0; l < n_links; l++) cptr[c->lvar[l] + 1]++;
    for (int j = 0; j < k; j++) cptr[j + 1] += cptr[j];
    for (int b = 0; b < m; b++)
        for (int l = c->lptr[b]; l < c->lptr[b + 1]; l++) {
            int j = c->lvar[l], at = cptr[j] + fill[j]++;
            cbit[at] = b;
            cq[at] = c->lq[l];
        }

    /* backward vectors: beta_{k-1} = indicator of "all on"; beta_{j-1} from beta_j */
    double *last = beta + size * (size_t)(k - 1);
    memset(last, 0, sizeof(double) * size);
    last[full] = 1.0;
    for (int j = k - 1; j > 0; j--) {
        const double *src = beta + size * (size_t)j;
        double *dst = beta + size * (size_t)(j - 1);
        memcpy(active, src, sizeof(double) * size);
        for (int l = cptr[j]; l < cptr[j + 1]; l++) switch_on_t(active, size, cbit[l], cq[l]);
        double pj = c->p[j], top = 0.0;
        for (size_t s = 0; s < size; s++) {
            dst[s] = (1.0 - pj) * src[s] + pj * active[s];
            if (dst[s] > top) top = dst[s];
        }
        /* only ratios of backward vectors are used: keep them near 1 */
        if (top > 0.0)
            for (size_t s = 0; s < size; s++) dst[s] /= top;
    }

    /* forward pass: start from the leaks alone */
    memset(alpha, 0, sizeof(double) * size);
    alpha[0] = 1.0;
    for (int b = 0; b < m; b++) switch_on(alpha, size, b, -expm1(c->log_off[b]));
    for (int j = 0; j < k; j++) {
        const double *bj = beta + size * (size_t)j;
        memcpy(active, alpha, sizeof(double) * size);
        for (int l = cptr[j]; l < cptr[j + 1]; l++) switch_on(active, size, cbit[l], cq[l]);
        double pj = c->p[j], num = 0.0, den = 0.0;
        for (size_t s = 0; s < size; s++) {
            num += bj[s] * active[s];
            alpha[s] = (1.0 - pj) * alpha[s] + pj * active[s];
            den += bj[s] * alpha[s];
        }
        double marginal = den > 0.0 ? pj * num / den : 0.0;
        c->marginal[j] = marginal < 0.0 ? 0.0 : (marginal > 1.0 ? 1.0 : marginal);
    }
    if (!(alpha[full] > 0.0)) {
        status = TOO_LARGE; /* underflow: let the Python path answer */
        goto done;
    }
    c->log_z = log(alpha[full]);
    for (int b = 0; b < m; b++) c->off_ratio[b] = alpha[full ^ ((size_t)1 << b)] / alpha[full];
done:
    free(cptr);
    free(cbit);
    free(cq);
    free(beta);
    free(alpha);
    free(active);
    free(fill);
    return status;
}

/* ------------------------------------------------------------------------- junction tree */

static int popcount64(uint64_t x) { return __builtin_popcountll(x); }

/* The index, in a table over `sub`, of entry t of a table over `set` (sub is a subset of set):
 * pos[i] is the position in `set` of sub's i-th variable. */
static inline size_t gather(size_t t, const int *pos, int n) {
    size_t idx = 0;
    for (int i = 0; i < n; i++) idx |= ((t >> pos[i]) & 1u) << i;
    return idx;
}

/* pos[i] = position within `set` of the i-th variable of `sub` (both as bit masks). */
static int positions(uint64_t set, uint64_t sub, int *pos) {
    int n = 0;
    for (uint64_t rest = sub; rest; rest &= rest - 1) {
        int v = __builtin_ctzll(rest);
        pos[n++] = popcount64(set & ((((uint64_t)1) << v) - 1));
    }
    return n;
}

typedef struct {
    uint64_t scope;  /* variables (core causes) as a bit mask */
    double *value;   /* 2^|scope| entries, scaled to max 1 */
    double *ratio;   /* for a positive's factor: P(off | config) / P(on | config); else NULL */
    int bit;         /* the positive it stands for, or -1 for a prior */
    int clique;      /* the clique (= eliminated variable) it is assigned to */
} Factor;

/* Greedy min-fill elimination order over k <= 64 variables with adjacency masks `adj`
 * (ties: fewer neighbours, then the smaller index: deterministic). Fills order[] and each
 * variable's clique mask, and returns the largest clique size. */
static int eliminate(int k, const uint64_t *adj0, int *order, uint64_t *clique) {
    uint64_t adj[64], remaining = (k == 64) ? ~(uint64_t)0 : ((((uint64_t)1) << k) - 1);
    int widest = 0;
    for (int v = 0; v < k; v++) adj[v] = adj0[v];
    for (int step = 0; step < k; step++) {
        int best = -1;
        long best_fill = 0;
        int best_deg = 0;
        for (uint64_t rest = remaining; rest; rest &= rest - 1) {
            int v = __builtin_ctzll(rest);
            uint64_t nb = adj[v] & remaining;
            long fill = 0;
            for (uint64_t r2 = nb; r2; r2 &= r2 - 1) {
                int u = __builtin_ctzll(r2);
                fill += popcount64(nb & ~adj[u] & ~(((uint64_t)1) << u));
            }
            int deg = popcount64(nb);
            if (best < 0 || fill < best_fill || (fill == best_fill && deg < best_deg)) {
                best = v;
                best_fill = fill;
                best_deg = deg;
            }
        }
        uint64_t nb = adj[best] & remaining;
        order[step] = best;
        clique[best] = nb | (((uint64_t)1) << best);
        if (popcount64(clique[best]) > widest) widest = popcount64(clique[best]);
        for (uint64_t r2 = nb; r2; r2 &= r2 - 1) {
            int u = __builtin_ctzll(r2);
            adj[u] |= nb & ~(((uint64_t)1) << u);
        }
        remaining &= ~(((uint64_t)1) << best);
    }
    return widest;
}

/* Junction-tree plan for a core problem: elimination order, cliques, and its cost. */
typedef struct {
    int order[64];
    int rank[64];       /* position of each variable in the order */
    uint64_t clique[64];
    int parent[64];     /* the clique its message goes to, or -1 */
    int widest;
    double cost;        /* table entries touched, roughly */
    size_t entries;     /* doubles to allocate */
} Plan;

static void plan_jt(const Core *c, Plan *plan) {
    uint64_t adj[64] = {0};
    for (int b = 0; b < c->m; b++) {
        uint64_t scope = 0;
        for (int l = c->lptr[b]; l < c->lptr[b + 1]; l++) scope |= ((uint64_t)1) << c->lvar[l];
        for (uint64_t r = scope; r; r &= r - 1) adj[__builtin_ctzll(r)] |= scope;
    }
    for (int v = 0; v < c->k; v++) adj[v] &= ~(((uint64_t)1) << v);
    plan->widest = eliminate(c->k, adj, plan->order, plan->clique);
    for (int i = 0; i < c->k; i++) plan->rank[plan->order[i]] = i;
    plan->cost = 0.0;
    plan->entries = 0;
    for (int v = 0; v < c->k; v++) {
        uint64_t sep = plan->clique[v] & ~(((uint64_t)1) << v);
        int parent = -1;
        for (uint64_t r = sep; r; r &= r - 1) {
            int u = __builtin_ctzll(r);
            if (parent < 0 || plan->rank[u] < plan->rank[parent]) parent = u;
        }
        plan->parent[v] = parent;
        int width = popcount64(plan->clique[v]);
        if (width <= MAX_CLIQUE) {
            size_t n = (size_t)1 << width;
            plan->entries += n + 2 * ((size_t)1 << (width - 1));
            plan->cost += (double)n * (6.0 + 2.0 * width);
        }
    }
}

static int solve_jt(Core *c, const Plan *plan) {
    const int k = c->k, m = c->m;
    int status = OK;
    double log_scale = 0.0;
    /* factors: one prior per core cause, one per positive */
    int n_factors = k + m;
    Factor *factors = calloc((size_t)n_factors, sizeof(Factor));
    double **psi = calloc((size_t)k, sizeof(double *));   /* upward clique tables */
    double **up = calloc((size_t)k, sizeof(double *));    /* message to the parent */
    double **down = calloc((size_t)k, sizeof(double *));  /* message from the parent */
    double *sum = NULL;
    if (!factors || !psi || !up || !down) {
        status = NO_MEMORY;
        goto done;
    }
    for (int j = 0; j < k; j++) {
        Factor *f = &factors[j];
        f->scope = ((uint64_t)1) << j;
        f->value = malloc(2 * sizeof(double));
        f->ratio = NULL;
        f->bit = -1;
        if (!f->value) { status = NO_MEMORY; goto done; }
        double off = 1.0 - c->p[j], on = c->p[j], top = off > on ? off : on;
        f->value[0] = off / top;
        f->value[1] = on / top;
        log_scale += log(top);
    }
    for (int b = 0; b < m; b++) {
        Factor *f = &factors[k + b];
        int n = c->lptr[b + 1] - c->lptr[b];
        /* the links of bit b in the order of their variables (the scope's bit order) */
        int vars[64];
        double keep[64];
        for (int i = 0; i < n; i++) {
            vars[i] = c->lvar[c->lptr[b] + i];
            keep[i] = c->lkeep[c->lptr[b] + i];
        }
        for (int i = 1; i < n; i++) /* insertion sort by variable */
            for (int a = i; a > 0 && vars[a - 1] > vars[a]; a--) {
                int tv = vars[a]; vars[a] = vars[a - 1]; vars[a - 1] = tv;
                double tk = keep[a]; keep[a] = keep[a - 1]; keep[a - 1] = tk;
            }
        f->scope = 0;
        for (int i = 0; i < n; i++) f->scope |= ((uint64_t)1) << vars[i];
        size_t size = (size_t)1 << n;
        f->value = malloc(sizeof(double) * size);
        f->ratio = malloc(sizeof(double) * size);
        f->bit = b;
        if (!f->value || !f->ratio) { status = NO_MEMORY; goto done; }
        double top = 0.0;
        for (size_t t = 0; t < size; t++) {
            double lo = c->log_off[b];
            for (int i = 0; i < n; i++)
                if (t >> i & 1u) lo += keep[i];
            double on = -expm1(lo);
            f->value[t] = on;
            f->ratio[t] = exp(lo) / on;
            if (on > top) top = on;
        }
        for (size_t t = 0; t < size; t++) f->value[t] /= top;
        log_scale += log(top);
    }
    /* assign each factor to the clique of its first-eliminated variable */
    for (int i = 0; i < n_factors; i++) {
        int first = -1;
        for (uint64_t r = factors[i].scope; r; r &= r - 1) {
            int u = __builtin_ctzll(r);
            if (first < 0 || plan->rank[u] < plan->rank[first]) first = u;
        }
        factors[i].clique = first;
    }

    /* upward pass, in elimination order */
    int pos[64];
    for (int step = 0; step < k; step++) {
        int v = plan->order[step];
        uint64_t cl = plan->clique[v];
        int width = popcount64(cl);
        size_t size = (size_t)1 << width;
        double *t = malloc(sizeof(double) * size);
        psi[v] = t;
        if (!t) { status = NO_MEMORY; goto done; }
        for (size_t s = 0; s < size; s++) t[s] = 1.0;
        for (int i = 0; i < n_factors; i++) {
            if (factors[i].clique != v) continue;
            int n = positions(cl, factors[i].scope, pos);
            for (size_t s = 0; s < size; s++) t[s] *= factors[i].value[gather(s, pos, n)];
        }
        for (int u = 0; u < k; u++) { /* children's messages */
            if (plan->parent[u] != v) continue;
            uint64_t sep = plan->clique[u] & ~(((uint64_t)1) << u);
            int n = positions(cl, sep, pos);
            for (size_t s = 0; s < size; s++) t[s] *= up[u][gather(s, pos, n)];
        }
        double top = 0.0;
        for (size_t s = 0; s < size; s++)
            if (t[s] > top) top = t[s];
        if (!(top > 0.0) || !isfinite(top)) { status = TOO_LARGE; goto done; }
        for (size_t s = 0; s < size; s++) t[s] /= top;
        log_scale += log(top);
        uint64_t sep = cl & ~(((uint64_t)1) << v);
        int n = positions(cl, sep, pos);
        double *msg = calloc((size_t)1 << n, sizeof(double));
        up[v] = msg;
        if (!msg) { status = NO_MEMORY; goto done; }
        for (size_t s = 0; s < size; s++) msg[gather(s, pos, n)] += t[s];
        if (plan->parent[v] < 0) log_scale += log(msg[0]); /* a root: its total */
    }
    c->log_z = log_scale;

    /* downward pass, in reverse order: beliefs, marginals, off-ratios, children's messages */
    sum = malloc(sizeof(double) * ((size_t)1 << (plan->widest > 0 ? plan->widest : 1)));
    if (!sum) { status = NO_MEMORY; goto done; }
    for (int step = k - 1; step >= 0; step--) {
        int v = plan->order[step];
        uint64_t cl = plan->clique[v];
        int width = popcount64(cl);
        size_t size = (size_t)1 << width;
        double *t = psi[v]; /* becomes the belief, in place */
        if (plan->parent[v] >= 0) {
            uint64_t sep = cl & ~(((uint64_t)1) << v);
            int n = positions(cl, sep, pos);
            for (size_t s = 0; s < size; s++) t[s] *= down[v][gather(s, pos, n)];
        }
        double total = 0.0, on = 0.0;
        int vpos = popcount64(cl & ((((uint64_t)1) << v) - 1));
        for (size_t s = 0; s < size; s++) {
            total += t[s];
            if (s >> vpos & 1u) on += t[s];
        }
        if (!(total > 0.0)) { status = TOO_LARGE; goto done; }
        double marginal = on / total;
        c->marginal[v] = marginal > 1.0 ? 1.0 : marginal;
        for (int i = k; i < n_factors; i++) {
            if (factors[i].clique != v) continue;
            int n = positions(cl, factors[i].scope, pos);
            double acc = 0.0;
            for (size_t s = 0; s < size; s++) acc += t[s] * factors[i].ratio[gather(s, pos, n)];
            c->off_ratio[factors[i].bit] = acc / total;
        }
        for (int u = 0; u < k; u++) {
            if (plan->parent[u] != v) continue;
            uint64_t sep = plan->clique[u] & ~(((uint64_t)1) << u);
            int n = positions(cl, sep, pos);
            size_t msize = (size_t)1 << n;
            for (size_t s = 0; s < msize; s++) sum[s] = 0.0;
            for (size_t s = 0; s < size; s++) sum[gather(s, pos, n)] += t[s];
            double *msg = malloc(sizeof(double) * msize);
            down[u] = msg;
            if (!msg) { status = NO_MEMORY; goto done; }
            double top = 0.0;
            for (size_t s = 0; s < msize; s++) {
                /* everything but the child's own message (it is a factor of this belief) */
                msg[s] = up[u][s] > 0.0 ? sum[s] / up[u][s] : 0.0;
                if (msg[s] > top) top = msg[s];
            }
            if (!(top > 0.0) || !isfinite(top)) { status = TOO_LARGE; goto done; }
            for (size_t s = 0; s < msize; s++) msg[s] /= top;
        }
    }
done:
    if (factors)
        for (int i = 0; i < n_factors; i++) {
            free(factors[i].value);
            free(factors[i].ratio);
        }
    free(factors);
    if (psi) for (int v = 0; v < k; v++) free(psi[v]);
    if (up) for (int v = 0; v < k; v++) free(up[v]);
    if (down) for (int v = 0; v < k; v++) free(down[v]);
    free(psi);
    free(up);
    free(down);
    free(sum);
    return status;
}

/* Solve one group's core problem by the cheaper feasible method (or the one forced). */
static int solve_core(Core *c, int method, size_t budget, double *cost) {
    if (c->k == 0) { /* every cause private: the positives are independent given nothing */
        c->log_z = 0.0;
        for (int b = 0; b < c->m; b++) {
            double on = -expm1(c->log_off[b]);
            c->log_z += log(on);
            c->off_ratio[b] = exp(c->log_off[b]) / on;
        }
        return OK;
    }
    double fb_cost = INFINITY, jt_cost = INFINITY;
    if (c->m <= MAX_FB_BITS && ((size_t)c->k << c->m) <= budget)
        fb_cost = (double)((size_t)1 << c->m) * (2.0 * c->lptr[c->m] + 6.0 * c->k + 2.0 * c->m);
    Plan plan;
    int planned = 0;
    int small = method == METHOD_AUTO && c->m <= FB_WITHOUT_PLANNING_BITS && fb_cost < INFINITY;
    if (c->k <= 64 && method != METHOD_FB && !small) {
        int lmax = 0;
        for (int b = 0; b < c->m; b++)
            if (c->lptr[b + 1] - c->lptr[b] > lmax) lmax = c->lptr[b + 1] - c->lptr[b];
        if (lmax <= MAX_CLIQUE) {
            plan_jt(c, &plan);
            planned = 1;
            if (plan.widest <= MAX_CLIQUE && plan.entries <= budget) jt_cost = plan.cost;
        }
    }
    if (method == METHOD_FB) jt_cost = INFINITY;
    if (method == METHOD_JT) fb_cost = INFINITY;
    if (fb_cost == INFINITY && jt_cost == INFINITY) return TOO_LARGE;
    if (planned && jt_cost <= fb_cost) {
        *cost += jt_cost;
        return solve_jt(c, &plan);
    }
    *cost += fb_cost;
    return solve_fb(c);
}

/* ------------------------------------------------------------------------------ one query */

typedef struct {
    int rc;
    double log_evidence;
    int largest;
    double cost; /* the chosen methods' estimated work (table entries touched) */
} Answer;

static int find(int *uf, int i) {
    while (uf[i] != i) {
        uf[i] = uf[uf[i]];
        i = uf[i];
    }
    return i;
}

static Answer solve_query(const Network *net, const double *prior, const int64_t *present,
                          Py_ssize_t n_present, const int64_t *absent, Py_ssize_t n_absent,
                          double *out, int method, size_t budget) {
    Answer ans = {OK, 0.0, 0, 0.0};
    const Py_ssize_t K = net->n_causes;
    double *adj = malloc(sizeof(double) * (size_t)(K ? K : 1));
    int *owner = malloc(sizeof(int) * (size_t)(K ? K : 1));
    int *stamp = malloc(sizeof(int) * (size_t)(K ? K : 1));
    int *count = malloc(sizeof(int) * (size_t)(K ? K : 1));
    int *core_index = malloc(sizeof(int) * (size_t)(K ? K : 1));
    int *uf = malloc(sizeof(int) * (size_t)(n_present ? n_present : 1));
    int *root = malloc(sizeof(int) * (size_t)(n_present ? n_present : 1));
    int *members = malloc(sizeof(int) * (size_t)(n_present ? n_present : 1));
    int64_t total_links = 0;
    for (Py_ssize_t i = 0; i < n_present; i++)
        total_links += net->ptr[present[i] + 1] - net->ptr[present[i]];
    size_t nl = (size_t)(total_links ? total_links : 1);
    int *lptr = malloc(sizeof(int) * (size_t)(n_present + 1));
    int *lvar = malloc(sizeof(int) * nl);
    double *lq = malloc(sizeof(double) * nl);
    double *lkeep = malloc(sizeof(double) * nl);
    double *log_off = malloc(sizeof(double) * (size_t)(n_present ? n_present : 1));
    double *core_p = malloc(sizeof(double) * (size_t)(K ? K : 1));
    int *core_cause = malloc(sizeof(int) * (size_t)(K ? K : 1));
    double *marginal = malloc(sizeof(double) * (size_t)(K ? K : 1));
    double *off_ratio = malloc(sizeof(double) * (size_t)(n_present ? n_present : 1));
    if (!adj || !owner || !stamp || !count || !core_index || !uf || !root || !members || !lptr ||
        !lvar || !lq || !lkeep || !log_off || !core_p || !core_cause || !marginal || !off_ratio) {
        ans.rc = NO_MEMORY;
        goto done;
    }

    /* 1. negatives, absorbed cause by cause */
    for (Py_ssize_t j = 0; j < K; j++) adj[j] = log(prior[j]);
    for (Py_ssize_t i = 0; i < n_absent; i++) {
        int64_t f = absent[i];
        ans.log_evidence += net->log_leak_off[f];
        for (int64_t l = net->ptr[f]; l < net->ptr[f + 1]; l++) adj[net->cause[l]] += net->log_keep[l];
    }
    for (Py_ssize_t j = 0; j < K; j++) {
        double norm = log_add_exp(adj[j], log1p(-prior[j]));
        ans.log_evidence += norm;
        adj[j] = exp(adj[j] - norm);
        out[j] = adj[j];
        owner[j] = -1;
        stamp[j] = -1;
    }

    /* 2. groups of positives that share a cause */
    for (Py_ssize_t i = 0; i < n_present; i++) uf[i] = (int)i;
    for (Py_ssize_t i = 0; i < n_present; i++) {
        int64_t f = present[i];
        for (int64_t l = net->ptr[f]; l < net->ptr[f + 1]; l++) {
            int64_t j = net->cause[l];
            if (owner[j] < 0) {
                owner[j] = (int)i;
            } else {
                int a = find(uf, (int)i), b = find(uf, owner[j]);
                if (a != b) uf[a > b ? a : b] = a < b ? a : b; /* the smaller index leads */
            }
        }
    }
    for (Py_ssize_t i = 0; i < n_present; i++) root[i] = find(uf, (int)i);

    /* 3-4. each group, led by its smallest positive */
    for (Py_ssize_t g = 0; g < n_present; g++) {
        if (root[g] != (int)g) continue;
        int m = 0;
        for (Py_ssize_t i = g; i < n_present; i++)
            if (root[i] == (int)g) members[m++] = (int)i;
        if (m > ans.largest) ans.largest = m;
        /* count each cause's links into the group */
        for (int b = 0; b < m; b++) {
            int64_t f = present[members[b]];
            for (int64_t l = net->ptr[f]; l < net->ptr[f + 1]; l++) {
                int64_t j = net->cause[l];
                if (stamp[j] != (int)g) {
                    stamp[j] = (int)g;
                    count[j] = 0;
                    core_index[j] = -1;
                }
                count[j]++;
            }
        }
        /* fold private causes into their positive's leak; index the core causes */
        int k = 0, n_links = 0;
        for (int b = 0; b < m; b++) {
            int64_t f = present[members[b]];
            log_off[b] = net->log_leak_off[f];
            lptr[b] = n_links;
            for (int64_t l = net->ptr[f]; l < net->ptr[f + 1]; l++) {
                int64_t j = net->cause[l];
                if (count[j] == 1) {
                    log_off[b] += log1p(-adj[j] * net->q[l]);
                    continue;
                }
                if (core_index[j] < 0) {
                    core_index[j] = k;
                    core_p[k] = adj[j];
                    core_cause[k] = (int)j;
                    k++;
                }
                lvar[n_links] = core_index[j];
                lq[n_links] = net->q[l];
                lkeep[n_links] = net->log_keep[l];
                n_links++;
            }
        }
        lptr[m] = n_links;
        Core core = {m, k, core_p, log_off, lptr, lvar, lq, lkeep, marginal, off_ratio, 0.0};
        int rc = solve_core(&core, method, budget, &ans.cost);
        if (rc != OK) {
            ans.rc = rc;
            goto done;
        }
        ans.log_evidence += core.log_z;
        for (int v = 0; v < k; v++) out[core_cause[v]] = marginal[v];
        for (int b = 0; b < m; b++) {
            int64_t f = present[members[b]];
            for (int64_t l = net->ptr[f]; l < net->ptr[f + 1]; l++) {
                int64_t j = net->cause[l];
                if (count[j] != 1) continue;
                /* P(j | e) = p (1 + r R_b), r = q (1 - p) / (1 - p q) */
                double p = adj[j], q = net->q[l];
                double value = p * (1.0 + q * (1.0 - p) / (1.0 - p * q) * off_ratio[b]);
                out[j] = value > 1.0 ? 1.0 : value;
            }
        }
    }
done:
    free(adj); free(owner); free(stamp); free(count); free(core_index); free(uf); free(root);
    free(members); free(lptr); free(lvar); free(lq); free(lkeep); free(log_off); free(core_p);
    free(core_cause); free(marginal); free(off_ratio);
    return ans;
}

/* ------------------------------------------------------------------------- Python binding */

/* Every buffer is checked before the solver sees it: the solver trusts its input completely
 * (it indexes with it), so a wrong length, element type or layout must stop here, as a Python
 * exception, never as a read or write past the end of an allocation. */

/* The solver counts causes, findings and links in `int`. */
#define MAX_COUNT INT_MAX

/* The two element types the kernel reads: 8-byte floats and 8-byte signed integers. */
typedef enum { FLOAT64, INT64 } Kind;

#if PY_LITTLE_ENDIAN
#define NATIVE_ORDER '<'
#else
#define NATIVE_ORDER '>'
#endif

/* Whether a buffer's format (struct-module syntax) is one element of `kind` in the machine's
 * byte order. The size is checked apart, from itemsize: 'l' has 8 bytes on some systems and 4
 * on others. No format at all means plain bytes. */
static int is_format(const char *format, Kind kind) {
    if (!format) return 0;
    if (*format == '@' || *format == '=' || *format == NATIVE_ORDER) format++;
    if (format[0] == '\0' || format[1] != '\0') return 0;
    return kind == FLOAT64 ? format[0] == 'd' : (format[0] == 'q' || format[0] == 'l');
}

/* Exports `obj` as an array of `kind` that the kernel may read (or, if `writable`, write) in
 * place: C-contiguous, native 8-byte elements, aligned for that type. On failure a Python error
 * is set, -1 is returned and view->obj is NULL (so releasing the view is harmless). */
static int get_array(PyObject *obj, Py_buffer *view, Kind kind, int writable, const char *name) {
    const char *type = kind == FLOAT64 ? "float64" : "int64";
    view->obj = NULL;
    if (!PyObject_CheckBuffer(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be a buffer of %s (a NumPy array), not %.200s",
                     name, type, Py_TYPE(obj)->tp_name);
        return -1;
    }
    const int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT;
    if (PyObject_GetBuffer(obj, view, flags | (writable ? PyBUF_WRITABLE : 0)) < 0) {
        /* Exporters refuse a layout with BufferError or ValueError; anything else (such as
         * MemoryError) is passed on as it is. */
        if (!PyErr_ExceptionMatches(PyExc_BufferError) && !PyErr_ExceptionMatches(PyExc_ValueError))
            return -1;
        PyErr_Clear();
        /* refused only because it is read-only? then say so */
        int read_only = writable && PyObject_GetBuffer(obj, view, flags) == 0;
        if (read_only) PyBuffer_Release(view);
        PyErr_Clear();
        view->obj = NULL;
        PyErr_Format(PyExc_ValueError,
                     read_only ? "%s is read-only" : "%s must be a C-contiguous buffer", name);
        return -1;
    }
    if (view->itemsize != 8 || !is_format(view->format, kind)) {
        PyErr_Format(PyExc_TypeError,
                     "%s must hold %s in native byte order, not format '%s' of %zd bytes", name,
                     type, view->format ? view->format : "B", view->itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    /* (the callers size their copies by len / 8: an exporter must not claim a partial item) */
    if (view->len % 8 != 0) {
        PyErr_Format(PyExc_ValueError, "%s has %zd bytes, not whole items", name, view->len);
        PyBuffer_Release(view);
        return -1;
    }
    /* (an empty buffer may point anywhere: array.array's points at a static byte) */
    size_t alignment = kind == FLOAT64 ? _Alignof(double) : _Alignof(int64_t);
    if (view->len > 0 && (uintptr_t)view->buf % alignment != 0) {
        PyErr_Format(PyExc_ValueError, "%s is not aligned for %s", name, type);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* Whether `view` holds exactly rows x columns elements; else ValueError, or OverflowError when
 * that many would not fit in memory. */
static int expect_items(const Py_buffer *view, Py_ssize_t rows, Py_ssize_t columns,
                        const char *name) {
    Py_ssize_t items, bytes;
    if (__builtin_mul_overflow(rows, columns, &items) ||
        __builtin_mul_overflow(items, (Py_ssize_t)8, &bytes)) {
        PyErr_Format(PyExc_OverflowError, "%s would need %zd x %zd items: more than fits in memory",
                     name, rows, columns);
        return -1;
    }
    if (view->len != bytes) {
        PyErr_Format(PyExc_ValueError, "%s has %zd bytes, expected %zd (%zd items of 8 bytes)",
                     name, view->len, bytes, items);
        return -1;
    }
    return 0;
}

/* The links as the solver needs them: ptr ascending from 0 to n_links, every cause in range,
 * each finding's causes strictly ascending (so never one cause twice: the solver counts a
 * cause's links to tell private from shared causes), every probability in [0, 1). */
static int check_network(const int64_t *ptr, Py_ssize_t n_findings, const int64_t *cause,
                         const double *q, Py_ssize_t n_links, Py_ssize_t n_causes,
                         const double *leaks) {
    if (ptr[0] != 0 || ptr[n_findings] != n_links) {
        PyErr_SetString(PyExc_ValueError, "ptr does not cover the links");
        return -1;
    }
    for (Py_ssize_t f = 0; f < n_findings; f++) {
        if (ptr[f + 1] < ptr[f]) {
            PyErr_SetString(PyExc_ValueError, "ptr is not ascending");
            return -1;
        }
        if (!(leaks[f] >= 0.0 && leaks[f] < 1.0)) {
            PyErr_Format(PyExc_ValueError, "the leak of finding %zd is not in [0, 1)", f);
            return -1;
        }
    }
    /* ptr is ascending from 0 to n_links: every link below lies inside the buffers */
    for (Py_ssize_t f = 0; f < n_findings; f++)
        for (int64_t l = ptr[f]; l < ptr[f + 1]; l++) {
            if (cause[l] < 0 || cause[l] >= n_causes) {
                PyErr_SetString(PyExc_ValueError, "a link names a cause out of range");
                return -1;
            }
            if (l > ptr[f] && cause[l] <= cause[l - 1]) {
                PyErr_Format(PyExc_ValueError,
                             cause[l] == cause[l - 1]
                                 ? "finding %zd is linked to cause %lld twice"
                                 : "the causes of finding %zd are not in ascending order (at "
                                   "cause %lld)",
                             f, (long long)cause[l]);
                return -1;
            }
            if (!(q[l] >= 0.0 && q[l] < 1.0)) {
                PyErr_Format(PyExc_ValueError, "link %lld has a probability outside [0, 1)",
                             (long long)l);
                return -1;
            }
        }
    return 0;
}

static PyObject *py_network(PyObject *self, PyObject *args) {
    Py_ssize_t n_causes;
    PyObject *ptr_obj, *cause_obj, *q_obj, *leaks_obj;
    (void)self;
    if (!PyArg_ParseTuple(args, "nOOOO", &n_causes, &ptr_obj, &cause_obj, &q_obj, &leaks_obj))
        return NULL;
    Py_buffer ptr = {0}, cause = {0}, q = {0}, leaks = {0};
    PyObject *result = NULL;
    Network *net = NULL;
    if (get_array(ptr_obj, &ptr, INT64, 0, "ptr") < 0 ||
        get_array(cause_obj, &cause, INT64, 0, "cause") < 0 ||
        get_array(q_obj, &q, FLOAT64, 0, "q") < 0 ||
        get_array(leaks_obj, &leaks, FLOAT64, 0, "leaks") < 0)
        goto done;
    if (n_causes < 0) {
        PyErr_SetString(PyExc_ValueError, "n_causes must not be negative");
        goto done;
    }
    const Py_ssize_t n_findings = leaks.len / 8, n_links = cause.len / 8;
    if (n_causes > MAX_COUNT || n_findings > MAX_COUNT - 1 || n_links > MAX_COUNT) {
        PyErr_Format(PyExc_OverflowError,
                     "the kernel takes at most %d causes, %d findings and %d links", MAX_COUNT,
                     MAX_COUNT - 1, MAX_COUNT);
        goto done;
    }
    if (expect_items(&ptr, n_findings + 1, 1, "ptr") < 0 || expect_items(&q, n_links, 1, "q") < 0)
        goto done;
    if (check_network(ptr.buf, n_findings, cause.buf, q.buf, n_links, n_causes, leaks.buf) < 0)
        goto done;
    net = calloc(1, sizeof(Network));
    if (!net) { PyErr_NoMemory(); goto done; }
    net->n_causes = n_causes;
    net->n_findings = n_findings;
    /* (the counts are at most INT_MAX + 1, so none of these products overflows a size_t) */
    net->ptr = malloc(sizeof(int64_t) * (size_t)(n_findings + 1));
    net->cause = malloc(sizeof(int64_t) * (size_t)(n_links ? n_links : 1));
    net->q = malloc(sizeof(double) * (size_t)(n_links ? n_links : 1));
    net->log_keep = malloc(sizeof(double) * (size_t)(n_links ? n_links : 1));
    net->log_leak_off = malloc(sizeof(double) * (size_t)(n_findings ? n_findings : 1));
    if (!net->ptr || !net->cause || !net->q || !net->log_keep || !net->log_leak_off) {
        PyErr_NoMemory();
        goto done;
    }
    memcpy(net->ptr, ptr.buf, (size_t)ptr.len);
    memcpy(net->cause, cause.buf, (size_t)cause.len);
    memcpy(net->q, q.buf, (size_t)q.len);
    for (Py_ssize_t l = 0; l < n_links; l++) net->log_keep[l] = log1p(-net->q[l]);
    for (Py_ssize_t f = 0; f < n_findings; f++)
        net->log_leak_off[f] = log1p(-((const double *)leaks.buf)[f]);
    result = PyCapsule_New(net, CAPSULE_NAME, capsule_destructor);
    if (result) net = NULL;
done:
    network_free(net);
    PyBuffer_Release(&ptr);
    PyBuffer_Release(&cause);
    PyBuffer_Release(&q);
    PyBuffer_Release(&leaks);
    return result;
}

static int compare_int64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Sorted evidence: every index in range, none twice, none both present and absent. */
static int check_evidence(const int64_t *pres, Py_ssize_t n_present, const int64_t *abs_,
                          Py_ssize_t n_absent, Py_ssize_t n_findings) {
    const int64_t *lists[2] = {pres, abs_};
    const Py_ssize_t sizes[2] = {n_present, n_absent};
    const char *names[2] = {"present", "absent"};
    for (int w = 0; w < 2; w++) {
        if (sizes[w] && (lists[w][0] < 0 || lists[w][sizes[w] - 1] >= n_findings)) {
            PyErr_Format(PyExc_ValueError, "%s holds a finding index outside 0..%zd", names[w],
                         n_findings - 1);
            return -1;
        }
        for (Py_ssize_t i = 1; i < sizes[w]; i++)
            if (lists[w][i] == lists[w][i - 1]) {
                PyErr_Format(PyExc_ValueError, "%s holds the same finding twice", names[w]);
                return -1;
            }
    }
    for (Py_ssize_t i = 0, j = 0; i < n_present && j < n_absent;) { /* merge: any in both? */
        if (pres[i] == abs_[j]) {
            PyErr_SetString(PyExc_ValueError, "a finding cannot be both present and absent");
            return -1;
        }
        if (pres[i] < abs_[j]) i++; else j++;
    }
    return 0;
}

/* Sorted copies of the evidence buffers (so that every sum is rounded the same whatever order
 * the evidence came in), checked as the solver needs, with the messages Python shows. On
 * failure a Python error is set and -1 returned; the caller frees *pres and *abs_ either way. */
static int sorted_evidence(const Network *net, const Py_buffer *present, const Py_buffer *absent,
                           int64_t **pres, Py_ssize_t *n_present, int64_t **abs_,
                           Py_ssize_t *n_absent) {
    *n_present = present->len / 8; /* (get_array checked both are whole int64 arrays) */
    *n_absent = absent->len / 8;
    *pres = malloc((size_t)(present->len ? present->len : 1));
    *abs_ = malloc((size_t)(absent->len ? absent->len : 1));
    if (!*pres || !*abs_) {
        PyErr_NoMemory();
        return -1;
    }
    memcpy(*pres, present->buf, (size_t)present->len);
    memcpy(*abs_, absent->buf, (size_t)absent->len);
    qsort(*pres, (size_t)*n_present, sizeof(int64_t), compare_int64);
    qsort(*abs_, (size_t)*n_absent, sizeof(int64_t), compare_int64);
    return check_evidence(*pres, *n_present, *abs_, *n_absent, net->n_findings);
}

/* Every prior a probability: outside [0, 1] (or NaN) the logarithms below are NaN. */
static int check_priors(const double *prior, Py_ssize_t n_causes) {
    for (Py_ssize_t j = 0; j < n_causes; j++)
        if (!(prior[j] >= 0.0 && prior[j] <= 1.0)) {
            PyErr_Format(PyExc_ValueError, "the prior of cause %zd is not in [0, 1]", j);
            return -1;
        }
    return 0;
}

/* Whether two buffers share a byte. */
static int overlap(const Py_buffer *a, const Py_buffer *b) {
    uintptr_t a0 = (uintptr_t)a->buf, b0 = (uintptr_t)b->buf;
    return a->len > 0 && b->len > 0 && a0 < b0 + (uintptr_t)b->len &&
           b0 < a0 + (uintptr_t)a->len;
}

/* Solve every leave-one-out variant: row i of out (n_present + n_absent rows of n_causes) gets
 * the marginals with the i-th answer left out, present answers first. Stops at the first
 * variant that does not answer OK. */
static Answer solve_variants(const Network *net, const double *prior, const int64_t *pres,
                             Py_ssize_t n_present, const int64_t *abs_, Py_ssize_t n_absent,
                             int64_t *rest, double *out, int method, size_t budget) {
    Answer ans = {OK, 0.0, 0, 0.0};
    double work = 0.0;
    for (Py_ssize_t row = 0; row < n_present + n_absent && ans.rc == OK; row++) {
        int dropping_present = row < n_present;
        const int64_t *from = dropping_present ? pres : abs_;
        Py_ssize_t size = dropping_present ? n_present : n_absent;
        Py_ssize_t skip = dropping_present ? row : row - n_present, kept = 0;
        for (Py_ssize_t i = 0; i < size; i++)
            if (i != skip) rest[kept++] = from[i];
        double *target = out + row * net->n_causes;
        ans = dropping_present
                  ? solve_query(net, prior, rest, kept, abs_, n_absent, target, method, budget)
                  : solve_query(net, prior, pres, n_present, rest, kept, target, method, budget);
        work += ans.cost;
    }
    ans.cost = work;
    return ans;
}

/* solve() and variants(): the same arguments, checks and answers; `variants` picks one query
 * or every leave-one-out variant of it. */
static PyObject *solve_or_variants(PyObject *args, int variants) {
    PyObject *capsule, *prior_obj, *present_obj, *absent_obj, *out_obj;
    int method = METHOD_AUTO;
    Py_ssize_t budget = TABLE_BUDGET;
    if (!PyArg_ParseTuple(args, "OOOOO|in", &capsule, &prior_obj, &present_obj, &absent_obj,
                          &out_obj, &method, &budget))
        return NULL;
    if (!PyCapsule_IsValid(capsule, CAPSULE_NAME)) {
        PyErr_SetString(PyExc_TypeError, "network must be what _kernel.network() returned");
        return NULL;
    }
    if (method != METHOD_AUTO && method != METHOD_FB && method != METHOD_JT) {
        PyErr_Format(PyExc_ValueError, "method must be 0 (auto), 1 or 2, not %d", method);
        return NULL;
    }
    if (budget < 0) {
        PyErr_SetString(PyExc_ValueError, "budget must not be negative");
        return NULL;
    }
    if (budget > TABLE_BUDGET) budget = TABLE_BUDGET; /* a call may ask for less, never more */
    Py_buffer prior = {0}, present = {0}, absent = {0}, out = {0};
    PyObject *result = NULL;
    int64_t *pres = NULL, *abs_ = NULL, *rest = NULL;
    Py_ssize_t n_present = 0, n_absent = 0;
    const Network *net = PyCapsule_GetPointer(capsule, CAPSULE_NAME);
    if (!net || get_array(prior_obj, &prior, FLOAT64, 0, "priors") < 0 ||
        get_array(present_obj, &present, INT64, 0, "present") < 0 ||
        get_array(absent_obj, &absent, INT64, 0, "absent") < 0 ||
        get_array(out_obj, &out, FLOAT64, 1, "out") < 0)
        goto done;
    /* (the evidence is checked first: then n_present + n_absent <= n_findings) */
    if (expect_items(&prior, net->n_causes, 1, "priors") < 0 ||
        check_priors(prior.buf, net->n_causes) < 0 ||
        sorted_evidence(net, &present, &absent, &pres, &n_present, &abs_, &n_absent) < 0 ||
        expect_items(&out, variants ? n_present + n_absent : 1, net->n_causes, "out") < 0)
        goto done;
    /* the solver reads the priors again for every variant, after writing earlier rows */
    if (overlap(&out, &prior)) {
        PyErr_SetString(PyExc_ValueError, "out must not share memory with priors");
        goto done;
    }
    Py_ssize_t longest = n_present > n_absent ? n_present : n_absent;
    rest = malloc(sizeof(int64_t) * (size_t)(longest ? longest : 1));
    if (!rest) { PyErr_NoMemory(); goto done; }
    Answer ans;
    Py_BEGIN_ALLOW_THREADS
    if (variants)
        ans = solve_variants(net, prior.buf, pres, n_present, abs_, n_absent, rest, out.buf,
                             method, (size_t)budget);
    else
        ans = solve_query(net, prior.buf, pres, n_present, abs_, n_absent, out.buf, method,
                          (size_t)budget);
    Py_END_ALLOW_THREADS
    if (ans.rc == NO_MEMORY) {
        PyErr_NoMemory();
    } else if (ans.rc == TOO_LARGE) {
        result = Py_None;
        Py_INCREF(result);
    } else if (variants) {
        result = PyFloat_FromDouble(ans.cost);
    } else {
        result = Py_BuildValue("(did)", ans.log_evidence, ans.largest, ans.cost);
    }
done:
    free(pres);
    free(abs_);
    free(rest);
    PyBuffer_Release(&prior);
    PyBuffer_Release(&present);
    PyBuffer_Release(&absent);
    PyBuffer_Release(&out);
    return result;
}

static PyObject *py_solve(PyObject *self, PyObject *args) {
    (void)self;
    return solve_or_variants(args, 0);
}

static PyObject *py_variants(PyObject *self, PyObject *args) {
    (void)self;
    return solve_or_variants(args, 1);
}

static PyMethodDef methods[] = {
    {"network", py_network, METH_VARARGS,
     "network(n_causes, ptr, cause, q, leaks) -> capsule: the links per finding (CSR, int64 "
     "and float64 buffers, each finding's causes ascending) and the leaks, checked and copied "
     "into the kernel's own form."},
    {"solve", py_solve, METH_VARARGS,
     "solve(network, priors, present, absent, out, method=0, budget=2**23) -> (log_evidence, "
     "largest_group, work), or None when a group needs more than `budget` table entries. Writes "
     "the marginals into out; work estimates the table entries touched."},
    {"variants", py_variants, METH_VARARGS,
     "variants(network, priors, present, absent, out, method=0, budget=2**23) -> work, or None "
     "when a variant needs more than `budget` table entries. Row i of out (one per answer, "
     "present first, each list sorted) gets the marginals with answer i left out."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_kernel",
    "Compiled inner loop of the exact noisy-OR inference (see inference.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__kernel(void) { return PyModule_Create(&module); }
