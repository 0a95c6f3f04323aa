// The independent reference of the exhaustive accuracy sweep (scripts/verify.mjs), native C:
// for one function, reads blocks of results the wasm kernel computed for input bit patterns
// and checks each against the exact function, rounded to the format: float32, or float16 or
// bfloat16 (format=f16 / format=bf16; their 16-bit patterns zero-extended to 32 bits).
//
// Three tiers, each used only where the one before cannot decide: glibc's double functions
// (error < 2^-44 relative for these compositions); where that value lies within 2^-40 of a
// float32 rounding boundary (a midpoint between two floats), glibc's long double (x87, 64-bit
// significand; margin 2^-52); where that is still undecided, and for every input near a zero
// of the function (cancellation), MPFR at 448 bits, which rounds to float32 itself (448: sigma'
// at a subnormal x is 1/4 - x^2/16, x^2 down to 2^-298, and a subnormal dy can make 1/4 a tie). Results
// of exactly 0 in double are ±0, with the sign the function has there. (For the 16-bit
// formats "float32 rounding boundary" reads as theirs.)
//
// Build: cc -O2 -o verify-ref verify-ref.c -lmpfr -lm
// Run: verify-ref FUNCTION [alpha=… beta=… gamma=… threshold=…] [dy=…] [format=f16|bf16] < blocks
// A block: uint32 count, then count uint32 input bits, then their count uint32 result bits.
// At EOF it prints a JSON summary: inputs checked, max error in ulps, inputs not correctly
// rounded (and the first 4096, as [input, result] bits), how many needed the long double and
// the MPFR tiers.
#include <math.h>
#include <mpfr.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef long double ld;
#define PREC 448

static float f_of(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }
static uint32_t bits_of(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }

// ---- parameters: name=value arguments, the values scripts/verify.mjs calls the op with (the
// table's examples and defaults); NaN where the function takes none.
static double P_ALPHA = NAN, P_BETA = NAN, P_GAMMA = NAN, P_THRESHOLD = NAN;
// A backward pass's dy (dy=...; 1 by default: f' itself): the reference is dy f'(x), one rounding.
static double P_DY = 1;
static const double C8PI = 1.5957691216057308; // sqrt(8/pi), double tier only
static const double CUBIC = 0.044715;

// ---- double tier
// No overflow to inf/inf on either side.
static double sig_d(double v) { return v < 0 ? exp(v) / (1 + exp(v)) : 1 / (1 + exp(-v)); }
static double sigd_d(double x) { double e = exp(-fabs(x)); return e / ((1 + e) * (1 + e)); }
static double swish_d(double x) { return x / (1 + exp(-P_BETA * x)); }
static double swishd_d(double x) { double v = P_BETA * x; return sig_d(v) + v * sigd_d(v); }
static double silu_d(double x) { return x / (1 + exp(-x)); }
static double silud_d(double x) { return sig_d(x) + x * sigd_d(x); }
static double gelu_d(double x) { return 0.5 * x * erfc(-x / M_SQRT2); }
static double gelud_d(double x) { return 0.5 * erfc(-x / M_SQRT2) + x * exp(-0.5 * x * x) / sqrt(2 * M_PI); }
static double gtv(double x) { return C8PI * (x + CUBIC * x * x * x); }
static double gelut_d(double x) { return x / (1 + exp(-gtv(x))); }
static double gelutd_d(double x) { double v = gtv(x); return sig_d(v) + x * C8PI * (1 + 3 * CUBIC * x * x) * sigd_d(v); }
static double elu_d(double x) { return x > 0 ? x : P_ALPHA * expm1(x); }
static double elud_d(double x) { return x > 0 ? 1 : P_ALPHA * exp(x); }
static double celu_d(double x) { return x > 0 ? x : P_ALPHA * expm1(x / P_ALPHA); }
static double celud_d(double x) { return x > 0 ? 1 : exp(x / P_ALPHA); }
static double selu_d(double x) { return P_GAMMA * (x > 0 ? x : P_ALPHA * expm1(x)); }
static double selud_d(double x) { return P_GAMMA * (x > 0 ? 1 : P_ALPHA * exp(x)); }
static double softplus_d(double x) { double v = P_BETA * x; return v > P_THRESHOLD ? x : (fmax(v, 0) + log1p(exp(-fabs(v)))) / P_BETA; }
static double softplusd_d(double x) { double v = P_BETA * x; return v > P_THRESHOLD ? 1 : sig_d(v); }
static double sp_d(double x) { return fmax(x, 0) + log1p(exp(-fabs(x))); }
static double mish_d(double x) { return x * tanh(sp_d(x)); }
static double mishd_d(double x) { double t = tanh(sp_d(x)); return t + x * sig_d(x) * (1 - t) * (1 + t); }
static double sigmoid_d(double x) { return sig_d(x); }
static double tanh_d(double x) { return tanh(x); }
static double tanhd_d(double x) { double e = exp(-2 * fabs(x)); return 4 * e / ((1 + e) * (1 + e)); }
static double softsign_d(double x) { return x / (1 + fabs(x)); }
static double softsignd_d(double x) { return 1 / ((1 + fabs(x)) * (1 + fabs(x))); }

// ---- long double tier
static ld sig_l(ld v) { return v < 0 ? expl(v) / (1 + expl(v)) : 1 / (1 + expl(-v)); }
static ld sp_l(ld x) { return fmaxl(x, 0) + log1pl(expl(-fabsl(x))); }
static ld one_minus_sig_l(ld v) { return v > 0 ? expl(-v) / (1 + expl(-v)) : 1 / (1 + expl(v)); }
#define SQ2L 1.41421356237309504880168872420969808L
#define PIL 3.14159265358979323846264338327950288L
static ld swish_l(ld x) { return x / (1 + expl(-(ld)P_BETA * x)); }
static ld swishd_l(ld x) { ld v = (ld)P_BETA * x; return sig_l(v) * (1 + v * one_minus_sig_l(v)); }
static ld silu_l(ld x) { return x / (1 + expl(-x)); }
static ld silud_l(ld x) { return sig_l(x) * (1 + x * one_minus_sig_l(x)); }
static ld gelu_l(ld x) { return 0.5L * x * erfcl(-x / SQ2L); }
static ld gelud_l(ld x) { return 0.5L * erfcl(-x / SQ2L) + x * expl(-0.5L * x * x) / sqrtl(2 * PIL); }
static ld gtv_l(ld x) { return sqrtl(8 / PIL) * (x + 0.044715L * x * x * x); }
static ld gelut_l(ld x) { return x / (1 + expl(-gtv_l(x))); }
static ld gelutd_l(ld x) { ld v = gtv_l(x); return sig_l(v) + x * sqrtl(8 / PIL) * (1 + 3 * 0.044715L * x * x) * sig_l(v) * one_minus_sig_l(v); }
static ld elu_l(ld x) { return x > 0 ? x : (ld)P_ALPHA * expm1l(x); }
static ld elud_l(ld x) { return x > 0 ? 1 : (ld)P_ALPHA * expl(x); }
static ld celu_l(ld x) { return x > 0 ? x : (ld)P_ALPHA * expm1l(x / (ld)P_ALPHA); }
static ld celud_l(ld x) { return x > 0 ? 1 : expl(x / (ld)P_ALPHA); }
static ld selu_l(ld x) { return (ld)P_GAMMA * (x > 0 ? x : (ld)P_ALPHA * expm1l(x)); }
static ld selud_l(ld x) { return (ld)P_GAMMA * (x > 0 ? 1 : (ld)P_ALPHA * expl(x)); }
static ld softplus_l(ld x) { ld v = (ld)P_BETA * x; return v > P_THRESHOLD ? x : sp_l(v) / (ld)P_BETA; }
static ld softplusd_l(ld x) { ld v = (ld)P_BETA * x; return v > P_THRESHOLD ? 1 : sig_l(v); }
static ld mish_l(ld x) { return x * tanhl(sp_l(x)); }
static ld mishd_l(ld x) { ld t = tanhl(sp_l(x)); return t + x * sig_l(x) * (1 - t) * (1 + t); }
static ld sigmoid_l(ld x) { return sig_l(x); }
static ld sigd_l(ld x) { ld e = expl(-fabsl(x)); return e / ((1 + e) * (1 + e)); }
static ld tanh_l(ld x) { return tanhl(x); }
static ld tanhd_l(ld x) { ld e = expl(-2 * fabsl(x)); return 4 * e / ((1 + e) * (1 + e)); }
static ld softsign_l(ld x) { return x / (1 + fabsl(x)); }
static ld softsignd_l(ld x) { return 1 / ((1 + fabsl(x)) * (1 + fabsl(x))); }

// ---- MPFR tier: y = f(x) at PREC bits
typedef mpfr_t M;
static void m_sig(M y, const M v) { // 1 / (1 + e^-v)
  mpfr_neg(y, v, MPFR_RNDN); mpfr_exp(y, y, MPFR_RNDN); mpfr_add_ui(y, y, 1, MPFR_RNDN); mpfr_ui_div(y, 1, y, MPFR_RNDN);
}
static void m_swish_b(M y, const M x, double beta) {
  M v; mpfr_init2(v, PREC); mpfr_mul_d(v, x, beta, MPFR_RNDN); m_sig(y, v); mpfr_mul(y, y, x, MPFR_RNDN); mpfr_clear(v);
}
static void m_swishd_b(M y, const M x, double beta) { // s + v s (1 - s)
  M v, s, t; mpfr_inits2(PREC, v, s, t, (mpfr_ptr)0);
  mpfr_mul_d(v, x, beta, MPFR_RNDN); m_sig(s, v); mpfr_ui_sub(t, 1, s, MPFR_RNDN); mpfr_mul(t, t, s, MPFR_RNDN);
  mpfr_mul(t, t, v, MPFR_RNDN); mpfr_add(y, s, t, MPFR_RNDN); mpfr_clears(v, s, t, (mpfr_ptr)0);
}
static void m_swish(M y, const M x) { m_swish_b(y, x, P_BETA); }
static void m_swishd(M y, const M x) { m_swishd_b(y, x, P_BETA); }
static void m_silu(M y, const M x) { m_swish_b(y, x, 1); }
static void m_silud(M y, const M x) { m_swishd_b(y, x, 1); }
static void m_Phi(M y, const M x) { // erfc(-x / sqrt 2) / 2
  M s; mpfr_init2(s, PREC); mpfr_sqrt_ui(s, 2, MPFR_RNDN); mpfr_div(y, x, s, MPFR_RNDN); mpfr_neg(y, y, MPFR_RNDN);
  mpfr_erfc(y, y, MPFR_RNDN); mpfr_div_2ui(y, y, 1, MPFR_RNDN); mpfr_clear(s);
}
static void m_phi(M y, const M x) { // e^{-x^2/2} / sqrt(2 pi)
  M s; mpfr_init2(s, PREC); mpfr_sqr(y, x, MPFR_RNDN); mpfr_div_2ui(y, y, 1, MPFR_RNDN); mpfr_neg(y, y, MPFR_RNDN);
  mpfr_exp(y, y, MPFR_RNDN); mpfr_const_pi(s, MPFR_RNDN); mpfr_mul_2ui(s, s, 1, MPFR_RNDN); mpfr_sqrt(s, s, MPFR_RNDN);
  mpfr_div(y, y, s, MPFR_RNDN); mpfr_clear(s);
}
static void m_gelu(M y, const M x) { m_Phi(y, x); mpfr_mul(y, y, x, MPFR_RNDN); }
static void m_gelud(M y, const M x) {
  M t; mpfr_init2(t, PREC); m_phi(t, x); mpfr_mul(t, t, x, MPFR_RNDN); m_Phi(y, x); mpfr_add(y, y, t, MPFR_RNDN); mpfr_clear(t);
}
static void m_gtv(M v, M dv, const M x) { // sqrt(8/pi)(x + c x^3) and its derivative sqrt(8/pi)(1 + 3c x^2)
  M c, k, x2; mpfr_inits2(PREC, c, k, x2, (mpfr_ptr)0);
  mpfr_set_str(c, "0.044715", 10, MPFR_RNDN); mpfr_const_pi(k, MPFR_RNDN); mpfr_ui_div(k, 8, k, MPFR_RNDN); mpfr_sqrt(k, k, MPFR_RNDN);
  mpfr_sqr(x2, x, MPFR_RNDN);
  mpfr_mul(v, c, x2, MPFR_RNDN); mpfr_add_ui(v, v, 1, MPFR_RNDN); mpfr_mul(v, v, x, MPFR_RNDN); mpfr_mul(v, v, k, MPFR_RNDN);
  mpfr_mul_ui(dv, c, 3, MPFR_RNDN); mpfr_mul(dv, dv, x2, MPFR_RNDN); mpfr_add_ui(dv, dv, 1, MPFR_RNDN); mpfr_mul(dv, dv, k, MPFR_RNDN);
  mpfr_clears(c, k, x2, (mpfr_ptr)0);
}
static void m_gelut(M y, const M x) {
  M v, dv; mpfr_inits2(PREC, v, dv, (mpfr_ptr)0); m_gtv(v, dv, x); m_sig(y, v); mpfr_mul(y, y, x, MPFR_RNDN); mpfr_clears(v, dv, (mpfr_ptr)0);
}
static void m_gelutd(M y, const M x) { // s + x v' s (1 - s)
  M v, dv, s, t; mpfr_inits2(PREC, v, dv, s, t, (mpfr_ptr)0); m_gtv(v, dv, x); m_sig(s, v);
  mpfr_ui_sub(t, 1, s, MPFR_RNDN); mpfr_mul(t, t, s, MPFR_RNDN); mpfr_mul(t, t, dv, MPFR_RNDN); mpfr_mul(t, t, x, MPFR_RNDN);
  mpfr_add(y, s, t, MPFR_RNDN); mpfr_clears(v, dv, s, t, (mpfr_ptr)0);
}
// Where MPFR's value is exactly a midpoint of the format but the function's is not (it lies
// beyond PREC bits): the side the function's lies on, +1 above, -1 below; 0: a true tie.
static int m_dir;
static void m_elu_g(M y, const M x, double alpha, double div, double gamma, int deriv) {
  if (mpfr_sgn(x) > 0 && !mpfr_zero_p(x)) {
    if (deriv) mpfr_set_d(y, gamma, MPFR_RNDN); else mpfr_mul_d(y, x, gamma, MPFR_RNDN);
    return;
  }
  if (!deriv && !mpfr_inf_p(x) && mpfr_cmp_d(x, -300 * fabs(div)) < 0) {
    // e^(x/div) < 2^-432 is lost beside -1: the value is -alpha gamma (exact at PREC bits) plus
    // alpha gamma e^(x/div), whose sign is that of alpha gamma.
    mpfr_set_d(y, -alpha, MPFR_RNDN);
    mpfr_mul_d(y, y, gamma, MPFR_RNDN);
    m_dir = (alpha * gamma > 0) - (alpha * gamma < 0);
    return;
  }
  mpfr_div_d(y, x, div, MPFR_RNDN);
  if (deriv) { mpfr_exp(y, y, MPFR_RNDN); mpfr_mul_d(y, y, alpha, MPFR_RNDN); mpfr_div_d(y, y, div, MPFR_RNDN); }
  else { mpfr_expm1(y, y, MPFR_RNDN); mpfr_mul_d(y, y, alpha, MPFR_RNDN); }
  mpfr_mul_d(y, y, gamma, MPFR_RNDN);
}
static void m_elu(M y, const M x) { m_elu_g(y, x, P_ALPHA, 1, 1, 0); }
static void m_elud(M y, const M x) { m_elu_g(y, x, P_ALPHA, 1, 1, 1); }
static void m_celu(M y, const M x) { m_elu_g(y, x, P_ALPHA, P_ALPHA, 1, 0); }
static void m_celud(M y, const M x) { m_elu_g(y, x, P_ALPHA, P_ALPHA, 1, 1); }
static void m_selu(M y, const M x) { m_elu_g(y, x, P_ALPHA, 1, P_GAMMA, 0); }
static void m_selud(M y, const M x) { m_elu_g(y, x, P_ALPHA, 1, P_GAMMA, 1); }
static void m_sp(M y, const M x) { mpfr_exp(y, x, MPFR_RNDN); mpfr_log1p(y, y, MPFR_RNDN); }
// beta x > threshold decided on the exact product (beta is a double, x a float32: exact at PREC).
static void m_softplus(M y, const M x) {
  M v; mpfr_init2(v, PREC); mpfr_mul_d(v, x, P_BETA, MPFR_RNDN);
  if (mpfr_cmp_d(v, P_THRESHOLD) > 0) mpfr_set(y, x, MPFR_RNDN);
  else { m_sp(y, v); mpfr_div_d(y, y, P_BETA, MPFR_RNDN); }
  mpfr_clear(v);
}
static void m_softplusd(M y, const M x) {
  M v; mpfr_init2(v, PREC); mpfr_mul_d(v, x, P_BETA, MPFR_RNDN);
  if (mpfr_cmp_d(v, P_THRESHOLD) > 0) mpfr_set_ui(y, 1, MPFR_RNDN); else m_sig(y, v);
  mpfr_clear(v);
}
static void m_mish(M y, const M x) { m_sp(y, x); mpfr_tanh(y, y, MPFR_RNDN); mpfr_mul(y, y, x, MPFR_RNDN); }
static void m_mishd(M y, const M x) { // tanh(sp) + x sig(x) sech^2(sp)
  M sp, t; mpfr_inits2(PREC, sp, t, (mpfr_ptr)0); m_sp(sp, x);
  mpfr_sech(t, sp, MPFR_RNDN); mpfr_sqr(t, t, MPFR_RNDN); m_sig(y, x); mpfr_mul(t, t, y, MPFR_RNDN); mpfr_mul(t, t, x, MPFR_RNDN);
  mpfr_tanh(y, sp, MPFR_RNDN); mpfr_add(y, y, t, MPFR_RNDN); mpfr_clears(sp, t, (mpfr_ptr)0);
}
static void m_sigmoid(M y, const M x) { m_sig(y, x); }
static void m_sigd(M y, const M x) { M t; mpfr_init2(t, PREC); m_sig(y, x); mpfr_ui_sub(t, 1, y, MPFR_RNDN); mpfr_mul(y, y, t, MPFR_RNDN); mpfr_clear(t); }
static void m_tanh(M y, const M x) { mpfr_tanh(y, x, MPFR_RNDN); }
static void m_tanhd(M y, const M x) { mpfr_sech(y, x, MPFR_RNDN); mpfr_sqr(y, y, MPFR_RNDN); }
static void m_softsign(M y, const M x) { mpfr_abs(y, x, MPFR_RNDN); mpfr_add_ui(y, y, 1, MPFR_RNDN); mpfr_div(y, x, y, MPFR_RNDN); }
static void m_softsignd(M y, const M x) {
  mpfr_abs(y, x, MPFR_RNDN); mpfr_add_ui(y, y, 1, MPFR_RNDN); mpfr_sqr(y, y, MPFR_RNDN); mpfr_ui_div(y, 1, y, MPFR_RNDN);
}

// sign: the sign of f(x) where a result underflows to zero: POS always +, ODD the sign of x,
// ROOT the sign of x - root (a derivative's zero), PRODUCT the double formula's own zero (the
// elu family: a scale times expm1 or exp, whose zero has the sign of alpha, gamma, x, as any
// parameter sign gives). Near the root, every input goes to MPFR.
enum { POS, ODD, ROOT, PRODUCT };
typedef struct {
  const char* name;
  double (*d)(double);
  ld (*l)(ld);
  void (*m)(M, const M);
  int sign;
  double root, lim_neg, lim_pos;  // f(-inf), f(+inf)
} Fn;
static const Fn FNS[] = {
    {"gelu", gelu_d, gelu_l, m_gelu, ODD, 0, -0.0, INFINITY},
    {"geluBackward", gelud_d, gelud_l, m_gelud, ROOT, -0.7517915246935, -0.0, 1},
    {"geluTanh", gelut_d, gelut_l, m_gelut, ODD, 0, -0.0, INFINITY},
    {"geluTanhBackward", gelutd_d, gelutd_l, m_gelutd, ROOT, -0.7522, -0.0, 1},
    {"silu", silu_d, silu_l, m_silu, ODD, 0, -0.0, INFINITY},
    {"siluBackward", silud_d, silud_l, m_silud, ROOT, -2.3993572805, -0.0, 1},
    {"swish", swish_d, swish_l, m_swish, ODD, 0, -0.0, INFINITY},
    {"swishBackward", swishd_d, swishd_l, m_swishd, ROOT, -2.3993572805 / 1.702, -0.0, 1},
    {"elu", elu_d, elu_l, m_elu, PRODUCT, 0, NAN, NAN},  // (the limits: main)
    {"eluBackward", elud_d, elud_l, m_elud, PRODUCT, 0, NAN, NAN},  // (the limits: main)
    {"celu", celu_d, celu_l, m_celu, PRODUCT, 0, NAN, NAN},  // (the limits: main)
    {"celuBackward", celud_d, celud_l, m_celud, PRODUCT, 0, NAN, NAN},  // (the limits: main)
    {"selu", selu_d, selu_l, m_selu, PRODUCT, 0, NAN, NAN},  // (the limits: main)
    {"seluBackward", selud_d, selud_l, m_selud, PRODUCT, 0, NAN, NAN},  // (the limits: main)
    {"softplus", softplus_d, softplus_l, m_softplus, POS, 0, 0, INFINITY},
    {"softplusBackward", softplusd_d, softplusd_l, m_softplusd, POS, 0, 0, 1},
    {"mish", mish_d, mish_l, m_mish, ODD, 0, -0.0, INFINITY},
    {"mishBackward", mishd_d, mishd_l, m_mishd, ROOT, -1.1915, -0.0, 1},
    {"sigmoid", sigmoid_d, sigmoid_l, m_sigmoid, POS, 0, 0, 1},
    {"sigmoidBackward", sigd_d, sigd_l, m_sigd, POS, 0, 0, 0},
    {"tanh", tanh_d, tanh_l, m_tanh, ODD, 0, -1, 1},
    {"tanhBackward", tanhd_d, tanhd_l, m_tanhd, POS, 0, 0, 0},
    {"softsign", softsign_d, softsign_l, m_softsign, ODD, 0, -1, 1},
    {"softsignBackward", softsignd_d, softsignd_l, m_softsignd, POS, 0, 0, 0},
};

// ---- the format: P significand bits, QMIN the exponent of its least subnormal, MAX its
// largest finite value; and its bit patterns.
static int FMT = 32, P = 24, QMIN = -149;
static double MAX = 0x1.fffffep127;
static void set_format(int bits) {
  FMT = bits;
  if (bits == 16) P = 11, QMIN = -24, MAX = 65504;
  if (bits == 8) P = 8, QMIN = -133, MAX = 0x1.fep127;  // bfloat16 ("8": its significand)
}
// The exponent q of the format's ulp at |v| (v != 0, finite): v / 2^q is an integer when v is
// in the format.
static int ulp_exp(double v) {
  int e;
  frexp(v, &e);
  return e - P < QMIN ? QMIN : e - P;
}
// v rounded to the format, to nearest even (the default rounding mode), overflow to ±inf.
static double round_fmt(double v) {
  if (v == 0 || v != v || isinf(v)) return v;
  const int q = ulp_exp(v);
  const double r = ldexp(nearbyint(ldexp(v, -q)), q);
  return fabs(r) > MAX ? copysign(INFINITY, v) : r;
}
static double round_fmt_l(ld v) {
  if (v == 0 || v != v || isinf(v)) return (double)v;
  int e;
  frexpl(v, &e);
  const int q = e - P < QMIN ? QMIN : e - P;
  const double r = (double)ldexpl(nearbyintl(ldexpl(v, -q)), q);
  return fabs(r) > MAX ? copysign(INFINITY, (double)v) : r;
}
// Whether v is within rel * |v| of a rounding boundary of the format (a midpoint of two of its
// values, or the overflow threshold MAX + ulp/2): undecided at that accuracy.
static int near_boundary(double v, double rel) {
  if (v == 0 || isinf(v)) return 0;
  const int q = ulp_exp(v);
  const double s = ldexp(v, -q);
  return fabs(fabs(s - floor(s)) - 0.5) <= rel * fabs(s);
}
static int near_boundary_l(ld v, ld rel) {
  if (v == 0 || isinf(v)) return 0;
  int e;
  frexpl(v, &e);
  const int q = e - P < QMIN ? QMIN : e - P;
  const ld s = ldexpl(v, -q);
  return fabsl(fabsl(s - floorl(s)) - 0.5L) <= rel * fabsl(s);
}
// MPFR's value rounded to the format: scaled to an integer's scale, rounded there (ties to even).
static double round_fmt_m(M y) {
  if (mpfr_zero_p(y) || mpfr_inf_p(y) || mpfr_nan_p(y)) return mpfr_get_d(y, MPFR_RNDN);
  long e = mpfr_get_exp(y);  // y = m 2^e, 1/2 <= |m| < 1
  long q = e - P < QMIN ? QMIN : e - P;
  M t;
  mpfr_init2(t, PREC);
  mpfr_mul_2si(t, y, -q, MPFR_RNDN);
  M h;  // a midpoint (t's fraction 1/2) goes m_dir's way where that is set
  mpfr_init2(h, PREC);
  mpfr_frac(h, t, MPFR_RNDN);
  const int tie = mpfr_cmp_d(h, 0.5) == 0 || mpfr_cmp_d(h, -0.5) == 0;
  mpfr_clear(h);
  mpfr_rint(t, t, tie && m_dir > 0 ? MPFR_RNDU : tie && m_dir < 0 ? MPFR_RNDD : MPFR_RNDN);
  mpfr_mul_2si(t, t, q, MPFR_RNDN);
  const double r = mpfr_get_d(t, MPFR_RNDN);  // exact: a value of the format, or beyond MAX
  mpfr_clear(t);
  return fabs(r) > MAX ? copysign(INFINITY, r) : r;
}

// Bit patterns <-> values (x is always exact in double).
static double decode(uint32_t b) {
  if (FMT == 32) return f_of(b);
  if (P == 8) return f_of(b << 16);
  const int e = (b >> 10) & 31, m = b & 1023;
  const double v = e == 31 ? (m ? NAN : INFINITY) : e ? ldexp(1024 + m, e - 25) : ldexp(m, -24);
  return b & 0x8000 ? -v : v;
}
static uint32_t encode(double v) {  // v in the format (or ±inf, ±0)
  if (FMT == 32) return bits_of((float)v);
  if (P == 8) return bits_of((float)v) >> 16;
  const uint32_t sign = signbit(v) ? 0x8000 : 0;
  const double a = fabs(v);
  if (isinf(a)) return sign | 0x7c00;
  if (a < 0x1p-14) return sign | (uint32_t)ldexp(a, 24);
  int e;
  const double m = frexp(a, &e);  // a = m 2^e
  return sign | (uint32_t)(e + 14) << 10 | ((uint32_t)ldexp(m, 11) - 1024);
}
static uint32_t quiet_bit(void) { return FMT == 32 ? 0x00400000u : P == 8 ? 0x40u : 0x200u; }

static long tier2, tier3;

// f(x) correctly rounded to the format.
static double reference(const Fn* fn, double x) {
  if (x != x) return x;  // not used: NaN inputs are checked on their bits
  if (isinf(x)) return round_fmt((x < 0 ? fn->lim_neg : fn->lim_pos) * P_DY);
  int exact = fn->sign == ROOT && fabs(x - fn->root) < 2e-2 * fabs(fn->root);
  if (!exact) {
    const double f = fn->d(x), v = f * P_DY;
    if (v == 0 && f == 0) {
      const int neg = fn->sign == ODD ? signbit(x) : fn->sign == ROOT ? x < fn->root : fn->sign == PRODUCT ? signbit(f) : 0;
      return neg != (P_DY < 0) ? -0.0 : 0.0;
    }
    if (v == v && v != 0 && !isinf(v) && !near_boundary(v, 0x1p-40)) return round_fmt(v);
    tier2++;
    const ld w = fn->l(x) * (ld)P_DY;
    if (w == w && !isinf(w) && w != 0 && !near_boundary_l(w, 0x1p-52L)) return round_fmt_l(w);
  }
  tier3++;
  m_dir = 0;
  M mx, my;
  mpfr_inits2(PREC, mx, my, (mpfr_ptr)0);
  mpfr_set_d(mx, x, MPFR_RNDN);
  fn->m(my, mx);
  // x sigma-like functions (x Phi(x), x sigma(beta x), x tanh(softplus x)) are below x for x > 0,
  // by less than PREC bits resolve far out (e^-310 at x = 310): where MPFR's value is x itself,
  // the function's lies below it.
  static const char* const below_x[] = {"gelu", "geluTanh", "silu", "swish", "mish"};
  for (size_t i = 0; i < sizeof below_x / sizeof below_x[0]; i++)
    if (!strcmp(fn->name, below_x[i]) && x > 0 && mpfr_equal_p(my, mx)) m_dir = -1;
  // Their derivatives fall to 1 from above past their maxima, likewise by less than PREC bits
  // far out: where MPFR's value is 1 itself, theirs lies above it (a backward pass's dy·up can be
  // a float32 midpoint that only this decides: the gated ops' dgate).
  static const char* const above_1[] = {"geluBackward", "geluTanhBackward", "siluBackward", "swishBackward", "mishBackward"};
  for (size_t i = 0; i < sizeof above_1 / sizeof above_1[0]; i++)
    if (!strcmp(fn->name, above_1[i]) && x > 4 && mpfr_cmp_ui(my, 1) == 0) m_dir = 1;
  mpfr_mul_d(my, my, P_DY, MPFR_RNDN);  // (exact: PREC bits hold it)
  if (P_DY < 0) m_dir = -m_dir;
  const double r = round_fmt_m(my);
  mpfr_clears(mx, my, (mpfr_ptr)0);
  return r;
}

// |got - want| in ulps of want's binade (the subnormal spacing below the least normal).
static double ulps(double got, double want) {
  if (got == want && signbit(got) == signbit(want)) return 0;
  if (isinf(want) || isinf(got)) return got == want ? 0 : INFINITY;
  const double ulp = ldexp(1, ulp_exp(fmax(fabs(want), ldexp(1, QMIN + P - 1))));
  const double d = fabs(got - want) / ulp;
  return d == 0 ? 0.5 : d;  // ±0 mismatch: counted as half an ulp, and as misrounded
}

int main(int argc, char** argv) {
  if (argc < 2) { fprintf(stderr, "usage: verify-ref FUNCTION [name=value ...] < blocks\n"); return 2; }
  Fn f = FNS[0];
  int found = 0;
  for (size_t i = 0; i < sizeof FNS / sizeof FNS[0]; i++) if (!strcmp(FNS[i].name, argv[1])) f = FNS[i], found = 1;
  if (!found) { fprintf(stderr, "verify-ref: unknown function %s\n", argv[1]); return 2; }
  for (int i = 2; i < argc; i++) {
    const char* eq = strchr(argv[i], '=');
    double* slot = !eq ? NULL : !strncmp(argv[i], "alpha=", 6) ? &P_ALPHA : !strncmp(argv[i], "beta=", 5) ? &P_BETA
                 : !strncmp(argv[i], "gamma=", 6) ? &P_GAMMA : !strncmp(argv[i], "threshold=", 10) ? &P_THRESHOLD
                 : !strncmp(argv[i], "dy=", 3) ? &P_DY : NULL;
    if (slot) *slot = strtod(eq + 1, NULL);  // others (approximate=...) are in the function's name
    if (!strcmp(argv[i], "format=f16")) set_format(16);
    if (!strcmp(argv[i], "format=bf16")) set_format(8);
  }
  // The elu family's limits depend on the parameters (elu -alpha, selu -gamma alpha and
  // gamma inf, selu' gamma, the backward passes' zeros the sign of the scale): the double
  // formula's own, which are exact.
  if (f.sign == PRODUCT) f.lim_neg = f.d(-INFINITY), f.lim_pos = f.d(INFINITY);
  const Fn* fn = &f;
  static uint32_t in[1 << 20], out[1 << 20];
  uint64_t checked = 0, wrong = 0;
  double max_ulp = 0;
  uint32_t max_at = 0;
  static uint32_t first[4096][2];
  int nfirst = 0;
  uint32_t m;
  while (fread(&m, 4, 1, stdin) == 1) {
    if (m > (1u << 20) || fread(in, 4, m, stdin) != m || fread(out, 4, m, stdin) != m) {
      fprintf(stderr, "verify-ref: bad block\n");
      return 2;
    }
    for (uint32_t i = 0; i < m; i++) {
      const uint32_t xb = in[i], gb = out[i];
      const double x = decode(xb), got = decode(gb);
      int bad;
      double u = 0;
      if (x != x) {
        bad = gb != (xb | quiet_bit());
        u = bad ? INFINITY : 0;
      } else {
        const double want = reference(fn, x);
        bad = gb != encode(want);
        if (bad) u = got != got ? INFINITY : ulps(got, want);
      }
      if (bad) {
        wrong++;
        if (nfirst < 4096) first[nfirst][0] = xb, first[nfirst][1] = gb, nfirst++;
      }
      if (u > max_ulp) max_ulp = u, max_at = xb;
    }
    checked += m;
  }
  printf("{\"op\":\"%s\",\"format\":\"%s\",\"checked\":%llu,\"misrounded\":%llu,\"maxUlp\":%.3f,\"maxAt\":\"0x%08x\",\"long double\":%ld,\"mpfr\":%ld,\"misroundedAt\":[",
         fn->name, FMT == 32 ? "float32" : P == 8 ? "bfloat16" : "float16", (unsigned long long)checked, (unsigned long long)wrong, max_ulp, max_at, tier2, tier3);
  for (int i = 0; i < nfirst; i++) printf("%s[\"0x%08x\",\"0x%08x\"]", i ? "," : "", first[i][0], first[i][1]);
  printf("]}\n");
  return 0;
}
