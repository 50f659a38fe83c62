#ifndef PONDER_CBLAS_SHIM_H
#define PONDER_CBLAS_SHIM_H
// OpenBLAS's CBLAS. GSL ships its own gsl_cblas.h with clashing enum definitions;
// defining its guard here makes every module see OpenBLAS's one definition.
#include <cblas.h>
#ifndef __GSL_CBLAS_H__
#define __GSL_CBLAS_H__
#endif
/// Threads OpenBLAS may use (OpenBLAS extension, declared in its cblas.h).
static inline void ponder_openblas_set_threads(int n) { openblas_set_num_threads(n); }
/// Asks the cache to fetch the line holding `p` ahead of use (a hint: never faults). Swift has
/// no prefetch of its own; the weight-streaming kernels use it to overlap the next weight rows'
/// memory traffic with arithmetic on the current ones.
static inline void ponder_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }
#endif
