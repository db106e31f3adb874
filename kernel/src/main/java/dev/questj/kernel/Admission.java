package dev.questj.kernel;

import java.util.List;

/**
 * The admission test of RTAS 2011 ("Virtual-CPU Scheduling in the Quest Operating System") for one
 * PCPU with n Main VCPUs (Ci, Ti) and m I/O VCPUs (Uj):
 * {@code sum Ci/Ti + sum (2 - Uj) Uj <= n (2^(1/n) - 1)}. Sufficient, not necessary.
 */
public final class Admission {
    private Admission() {}

    /** The Liu and Layland bound n (2^(1/n) - 1); 1 for n = 0 (an empty core admits I/O load up to 1). */
    public static double bound(int n) {
        // expm1 avoids the cancellation of pow(2, 1/n) - 1, which stops the bound decreasing for huge n
        return n == 0 ? 1.0 : n * Math.expm1(Math.log(2.0) / n);
    }

    /** The load of one PCPU against its bound. */
    public record CoreLoad(int pcpu, int mainVcpus, double mainUtilisation, double ioTerm) {
        public double total() {
            return mainUtilisation + ioTerm;
        }

        public double bound() {
            return Admission.bound(mainVcpus);
        }

        /** With a tiny tolerance, so that a set exactly at the bound (in decimal) is admitted. */
        public boolean admitted() {
            return total() <= bound() + 1e-12;
        }

        /** With an I/O VCPU of utilisation {@code u} served by PIBS: adds (2 - U) U. */
        public CoreLoad plusIo(double u) {
            return new CoreLoad(pcpu, mainVcpus, mainUtilisation, ioTerm + (2 - u) * u);
        }

        public CoreLoad plusMain(long budget, long period) {
            return new CoreLoad(pcpu, mainVcpus + 1, mainUtilisation + budget / (double) period, ioTerm);
        }

        public String describe() {
            return String.format(java.util.Locale.ROOT,
                    "PCPU %d: utilisation %.4f of %d Main VCPU%s%s against the bound %.4f", pcpu, total(), mainVcpus,
                    mainVcpus == 1 ? "" : "s", ioTerm > 0 ? String.format(java.util.Locale.ROOT, " (I/O term %.4f)", ioTerm) : "", bound());
        }
    }

    /** The loads of the given Main VCPUs (budget, period per PCPU). */
    public static CoreLoad load(int pcpu, List<long[]> budgetsAndPeriods) {
        CoreLoad l = new CoreLoad(pcpu, 0, 0, 0);
        for (long[] bp : budgetsAndPeriods) {
            l = l.plusMain(bp[0], bp[1]);
        }
        return l;
    }
}
