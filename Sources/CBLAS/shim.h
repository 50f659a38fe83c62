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
#endif
