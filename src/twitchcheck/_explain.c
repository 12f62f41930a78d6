/*
 * The explanation items of one assessment, built in one call (explain.py keeps the definition,
 * the Python implementation, which stays the reference and the fallback, and the wording).
 *
 * Input: delta[i][j], the effect of answer i on cause j in log-odds, computed by NumPy (so both
 * implementations start from the very same numbers). For every cause: the answers whose effect
 * is at least min_effect in size, largest first, ties broken by finding id, at most max_items;
 * each becomes a dict with the keys of results.ExplanationItem, in its order.
 *
 * Why C: an assessment has about a hundred items, and building them one by one in Python was
 * the largest single part of an assessment's time (BENCHMARKS.md). Nothing here decides what a
 * sentence says: the openings (one per answer) and the endings (by direction and odds factor)
 * are strings made in Python; this file only picks and joins them.
 *
 * Pure and deterministic: no global state besides the key names and the item template.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* Endings per direction: 101 factors in tenths (0.0 .. 10.0), 101 whole factors (0 .. 100),
 * then "more than 100". explain.py builds the table in this layout. */
#define N_TENTHS 101
#define N_WHOLES 101
#define N_ENDINGS (N_TENTHS + N_WHOLES + 1)

/* results.ExplanationItem's fields, in its order (the JSON of both faces must match). */
enum { K_FINDING, K_LABEL, K_ANSWER, K_DERIVED, K_CHANGE, K_TEXT, N_KEYS };
static const char *const KEY_NAMES[N_KEYS] = {
    "finding", "label", "answer", "derived", "log_odds_change", "text",
};
static PyObject *keys[N_KEYS];
/* A dict with those keys (values None): items are copies of it, which is cheaper than a new
 * dict that grows as its six keys are set. */
static PyObject *template;

typedef struct {
    double size;   /* |delta| */
    double change; /* delta */
    Py_ssize_t answer;
} Pair;

/* a before b: larger effect first, then the smaller finding id (code point order, as sorted()
 * in Python). */
static int before(const Pair *a, const Pair *b, PyObject *const *findings) {
    if (a->size != b->size) return a->size > b->size;
    return PyUnicode_Compare(findings[a->answer], findings[b->answer]) < 0;
}

/* The end of an effect sentence: explain._ending's choice, on the same table. The factor is
 * first rounded to 6 decimals (rint: half to even, as Python's round), so that a factor meant to
 * sit on a boundary gets the same words whatever the last bit of the change. */
static PyObject *ending(PyObject *const *table, double change) {
    double factor = rint(exp(fabs(change)) * 1e6) / 1e6;
    PyObject *const *row = table + (change > 0 ? N_ENDINGS : 0);
    if (factor < 10) return row[(Py_ssize_t)(factor * 10 + 0.5)];
    if (factor < 100) return row[N_TENTHS + (Py_ssize_t)(factor + 0.5)];
    return row[N_ENDINGS - 1];
}

/* One item; NULL with an exception set on failure. */
static PyObject *item(PyObject *answer, PyObject *opening, PyObject *end, double change) {
    PyObject *d = PyDict_Copy(template);
    if (!d) return NULL;
    PyObject *rounded = PyFloat_FromDouble(rint(change * 1e6) / 1e6); /* as np.round(x, 6) */
    PyObject *text = rounded ? PyUnicode_Concat(opening, end) : NULL;
    int failed = !text;
    for (int k = 0; k < N_KEYS && !failed; k++) {
        PyObject *value = k == K_CHANGE ? rounded
                          : k == K_TEXT ? text
                                        : PyTuple_GET_ITEM(answer, k); /* the answer's 4 fields */
        failed = PyDict_SetItem(d, keys[k], value) < 0;
    }
    Py_XDECREF(rounded);
    Py_XDECREF(text);
    if (failed) { Py_DECREF(d); return NULL; }
    return d;
}

/* Exports `obj` as float64 numbers read in place: C-contiguous, native 8-byte doubles,
 * aligned. On failure a Python error is set, -1 is returned and view->obj is NULL (so releasing
 * the view is harmless). */
static int get_float64(PyObject *obj, Py_buffer *view, const char *name) {
    view->obj = NULL;
    if (!PyObject_CheckBuffer(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be a buffer of float64 (a NumPy array), not %.200s",
                     name, Py_TYPE(obj)->tp_name);
        return -1;
    }
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        /* exporters refuse a layout with BufferError or ValueError; pass anything else on */
        if (!PyErr_ExceptionMatches(PyExc_BufferError) && !PyErr_ExceptionMatches(PyExc_ValueError))
            return -1;
        PyErr_Clear();
        view->obj = NULL;
        PyErr_Format(PyExc_ValueError, "%s must be a C-contiguous buffer", name);
        return -1;
    }
    const char *format = view->format;
    if (format && (*format == '@' || *format == '=' || *format == (PY_LITTLE_ENDIAN ? '<' : '>')))
        format++;
    if (view->itemsize != sizeof(double) || !format || strcmp(format, "d") != 0) {
        PyErr_Format(PyExc_TypeError,
                     "%s must hold float64 in native byte order, not format '%s' of %zd bytes",
                     name, view->format ? view->format : "B", view->itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    /* (an empty buffer may point anywhere: array.array's points at a static byte) */
    if (view->len > 0 && (uintptr_t)view->buf % _Alignof(double) != 0) {
        PyErr_Format(PyExc_ValueError, "%s is not aligned for float64", name);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static PyObject *py_items(PyObject *self, PyObject *args) {
    PyObject *delta_obj, *answer_list, *opening_list, *endings;
    Py_ssize_t n_causes, max_items;
    double min_effect;
    (void)self;
    if (!PyArg_ParseTuple(args, "OnO!O!O!dn", &delta_obj, &n_causes, &PyList_Type, &answer_list,
                          &PyList_Type, &opening_list, &PyTuple_Type, &endings, &min_effect,
                          &max_items))
        return NULL;
    Py_buffer view = {0};
    PyObject *result = NULL, *answers = NULL, *openings = NULL;
    Pair *pairs = NULL;
    PyObject **findings = NULL;
    if (get_float64(delta_obj, &view, "delta") < 0) goto done;
    /* Tuple copies of the two lists: the allocations below may run the garbage collector, and
     * with it any Python code, which could change a list under the borrowed items read here. */
    answers = PyList_AsTuple(answer_list);
    openings = answers ? PyList_AsTuple(opening_list) : NULL;
    if (!openings) goto done;
    Py_ssize_t n_answers = PyTuple_GET_SIZE(answers), cells, bytes;
    if (n_causes < 0 || max_items < 0) {
        PyErr_SetString(PyExc_ValueError, "n_causes and max_items must not be negative");
        goto done;
    }
    if (__builtin_mul_overflow(n_answers, n_causes, &cells) ||
        __builtin_mul_overflow(cells, (Py_ssize_t)sizeof(double), &bytes)) {
        PyErr_Format(PyExc_OverflowError, "%zd answers x %zd causes do not fit in memory",
                     n_answers, n_causes);
        goto done;
    }
    if (view.len != bytes) {
        PyErr_Format(PyExc_ValueError, "delta has %zd bytes, expected %zd answers x %zd causes",
                     view.len, n_answers, n_causes);
        goto done;
    }
    if (PyTuple_GET_SIZE(openings) != n_answers || PyTuple_GET_SIZE(endings) != 2 * N_ENDINGS) {
        PyErr_SetString(PyExc_ValueError, "one opening per answer and 2 x 203 endings expected");
        goto done;
    }
    for (Py_ssize_t k = 0; k < 2 * N_ENDINGS; k++) {
        if (!PyUnicode_Check(PyTuple_GET_ITEM(endings, k))) {
            PyErr_SetString(PyExc_TypeError, "every ending must be a str");
            goto done;
        }
    }
    pairs = PyMem_Malloc(sizeof(Pair) * (size_t)(n_answers ? n_answers : 1));
    findings = PyMem_Malloc(sizeof(PyObject *) * (size_t)(n_answers ? n_answers : 1));
    if (!pairs || !findings) { PyErr_NoMemory(); goto done; }
    for (Py_ssize_t i = 0; i < n_answers; i++) {
        PyObject *a = PyTuple_GET_ITEM(answers, i);
        if (!PyTuple_Check(a) || PyTuple_GET_SIZE(a) != 4 ||
            !PyUnicode_Check(PyTuple_GET_ITEM(a, 0)) ||
            !PyUnicode_Check(PyTuple_GET_ITEM(openings, i))) {
            PyErr_SetString(PyExc_TypeError,
                            "each answer must be a (finding, label, answer, derived) tuple with a "
                            "str finding, and each opening a str");
            goto done;
        }
        findings[i] = PyTuple_GET_ITEM(a, 0);
    }
    const double *delta = view.buf;
    PyObject *const *table = &PyTuple_GET_ITEM(endings, 0);
    result = PyList_New(n_causes);
    if (!result) goto done;
    for (Py_ssize_t j = 0; j < n_causes; j++) {
        /* The answers that moved cause j, kept sorted by insertion (few, and the sort is
         * stable); at most max_items are kept. */
        Py_ssize_t n = 0;
        for (Py_ssize_t i = 0; i < n_answers; i++) {
            double change = delta[i * n_causes + j];
            Pair p = {fabs(change), change, i};
            if (!(p.size >= min_effect)) continue; /* NaN is never an effect */
            Py_ssize_t at = n;
            while (at > 0 && before(&p, &pairs[at - 1], findings)) at--;
            if (at >= max_items) continue;
            if (n < max_items) n++;
            memmove(&pairs[at + 1], &pairs[at], sizeof(Pair) * (size_t)(n - 1 - at));
            pairs[at] = p;
        }
        PyObject *list = PyList_New(n);
        if (!list) { Py_CLEAR(result); goto done; }
        PyList_SET_ITEM(result, j, list);
        for (Py_ssize_t k = 0; k < n; k++) {
            Py_ssize_t i = pairs[k].answer;
            PyObject *d = item(PyTuple_GET_ITEM(answers, i), PyTuple_GET_ITEM(openings, i),
                               ending(table, pairs[k].change), pairs[k].change);
            if (!d) { Py_CLEAR(result); goto done; }
            PyList_SET_ITEM(list, k, d);
        }
    }
done:
    PyMem_Free(pairs);
    PyMem_Free(findings);
    Py_XDECREF(answers);
    Py_XDECREF(openings);
    PyBuffer_Release(&view);
    return result;
}

static PyMethodDef methods[] = {
    {"items", py_items, METH_VARARGS,
     "items(delta, n_causes, answers, openings, endings, min_effect, max_items) -> one list of "
     "item dicts per cause. delta: float64 buffer, row i = answer i's effect on every cause; "
     "answers: (finding, label, answer, derived) tuples; openings: one str per answer; endings: "
     "2 x 203 str (less likely, then more likely; see explain.py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_explain",
    "Compiled builder of the explanation items (see explain.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__explain(void) {
    if (!template && !(template = PyDict_New())) return NULL;
    for (int k = 0; k < N_KEYS; k++) {
        if (!keys[k] && !(keys[k] = PyUnicode_InternFromString(KEY_NAMES[k]))) return NULL;
        if (PyDict_SetItem(template, keys[k], Py_None) < 0) return NULL;
    }
    return PyModule_Create(&module);
}
