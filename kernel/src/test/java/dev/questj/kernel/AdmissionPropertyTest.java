package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Section 4's admission bound for Main VCPUs: n (2^(1/n) - 1), the Liu and Layland bound. */
class AdmissionPropertyTest {
    private static final double LN2 = Math.log(2);

    /**
     * bound(n) is n (2^(1/n) - 1) (computed here another way, through expm1, which does not cancel),
     * strictly decreasing in n, always above ln 2, and approaching it like (ln 2)^2 / (2n): the series
     * n (e^(ln2/n) - 1) = ln 2 + (ln 2)^2 / (2n) + ... gives ln 2 < bound(n) <= ln 2 + 0.307 / n.
     *
     * <p>n is at most 4096 VCPUs on one PCPU: pow(2, 1/n) - 1 loses about n ulps to cancellation
     * (hence the tolerance growing with n), and from n = 104,525 on the rounding error exceeds the
     * step between consecutive bounds, so bound(n + 1) < bound(n) stops holding in doubles.
     */
    @Property(tries = 300)
    void boundIsLiuLaylandAndDecreasesTowardLn2(@ForAll @IntRange(min = 1, max = 4096) int n) {
        double b = Admission.bound(n);
        assertThat(b).isCloseTo(n * Math.expm1(LN2 / n), within(1e-15 + n * 4e-16));
        assertThat(Admission.bound(n + 1)).as("bound(%d) < bound(%d)", n + 1, n).isLessThan(b);
        assertThat(b).isGreaterThan(LN2);
        assertThat((b - LN2) * n).isLessThanOrEqualTo(0.3069);
    }

    @Test
    void knownValues() {
        assertThat(Admission.bound(1)).isEqualTo(1.0);
        assertThat(Admission.bound(2)).isCloseTo(2 * (Math.sqrt(2) - 1), within(1e-15));
        assertThat(Admission.bound(3)).isCloseTo(0.7797631497, within(1e-9));
        assertThat(Admission.bound(1_000_000)).isCloseTo(LN2, within(1e-6));
    }

    @Provide
    Arbitrary<List<long[]>> mainVcpus() {
        Arbitrary<long[]> ct = Arbitraries.longs().between(5, 200)
                .flatMap(t -> Arbitraries.longs().between(1, t).map(c -> new long[] {c, t}));
        return ct.list().ofMinSize(1).ofMaxSize(8);
    }

    /** A PCPU's load is admitted exactly when sum C/T <= bound(n), n the number of Main VCPUs. */
    @Property(tries = 300)
    void loadIsAdmittedExactlyWhenUtilisationIsWithinTheBound(@ForAll("mainVcpus") List<long[]> vcpus) {
        Admission.CoreLoad load = Admission.load(0, vcpus);
        double u = vcpus.stream().mapToDouble(v -> v[0] / (double) v[1]).sum();
        assertThat(load.mainVcpus()).isEqualTo(vcpus.size());
        assertThat(load.mainUtilisation()).isCloseTo(u, within(1e-12));
        double margin = u - Admission.bound(vcpus.size());
        if (Math.abs(margin) > 1e-9) { // away from the tolerance band, the answer is unambiguous
            assertThat(load.admitted()).as("utilisation %f vs bound %f", u, Admission.bound(vcpus.size())).isEqualTo(margin < 0);
        }
    }
}
