#ifndef PONDER_CGSL_SHIM_H
#define PONDER_CGSL_SHIM_H
// Include OpenBLAS's cblas.h first and mark GSL's CBLAS header as already seen, so the
// CBLAS enums have one definition across the CBLAS and CGSL modules (see DESIGN.md).
#include <cblas.h>
#define __GSL_CBLAS_H__
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort.h>

/// The Mersenne Twister generator type. GSL exposes it as a mutable C global, which Swift 6
/// flags as not concurrency-safe; reading it through a function avoids that.
static inline const gsl_rng_type *ponder_gsl_rng_mt19937(void) { return gsl_rng_mt19937; }

/// Turns off GSL's default error handler, which aborts the process. Callers validate inputs
/// before calling GSL, so an error here would be a bug; returning a status beats a crash.
static inline void ponder_gsl_disable_abort(void) { (void)gsl_set_error_handler_off(); }
#endif
