package dev.questj.system.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {
    private static final long GHZ = 1_000_000_000L;

    @ParameterizedTest(name = "{0} at {1} Hz is {2} cycles")
    @CsvSource(delimiter = '|', textBlock = """
            3000 cycles | 1000000000 | 3000
            3000cycles  | 1000000000 | 3000
            1 cycle     | 1000000000 | 1
            0 cycles    | 1000000000 | 0
            250ns       | 1000000000 | 250
            250 us      | 1000000000 | 250000
            250µs       | 1000000000 | 250000
            10ms        | 1000000000 | 10000000
            1.5ms       | 1000000000 | 1500000
            2s          | 1000000000 | 2000000000
            0us         | 2000000000 | 0
            10ms        | 2000000000 | 20000000
            0.25us      | 2000000000 | 500
            1.5ms       | 1500000000 | 2250000
            4611686018s | 2000000000 | 9223372036000000000
            """)
    void durationsBecomeCycles(String text, long hz, long cycles) {
        assertThat(Units.cycles(text, hz)).isEqualTo(cycles);
    }

    @Test
    void fractionalCyclesRoundToNearestHalvesUp() {
        assertThat(Units.cycles("1ns", 1_500_000_000L)).isEqualTo(2);   // 1.5 cycles
        assertThat(Units.cycles("1ns", 1_400_000_000L)).isEqualTo(1);   // 1.4 cycles
        assertThat(Units.cycles("2.5 cycles", GHZ)).isEqualTo(3);
        assertThat(Units.cycles("0.1ns", GHZ)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "0", "1.5", "", "ms", "10 m", "10 sec", "10MS", "1e3ms", ".5ms", "5.ms", "10 ms ms", "+5ms"})
    void durationsWithoutAKnownUnitAreRefused(String text) {
        assertThatThrownBy(() -> Units.cycles(text, GHZ))
                .isInstanceOf(Units.InvalidQuantityException.class)
                .hasMessage("expected a duration with a unit (cycles, ns, us, ms, s), got \"" + text + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-5ms", "-1 cycles", "-0.5s"})
    void negativeDurationsAreRefused(String text) {
        assertThatThrownBy(() -> Units.cycles(text, GHZ))
                .isInstanceOf(Units.InvalidQuantityException.class)
                .hasMessage("a duration cannot be negative, got \"" + text + "\"");
    }

    @Test
    void durationsTooLargeForALongAreRefused() {
        assertThatThrownBy(() -> Units.cycles("9223372037s", GHZ))
                .hasMessage("the duration \"9223372037s\" is too large (more than 9223372036854775807 cycles)");
    }

    @ParameterizedTest(name = "{0} is {1} Hz")
    @CsvSource(delimiter = '|', textBlock = """
            2GHz     | 2000000000
            1.5 GHz  | 1500000000
            800MHz   | 800000000
            32 kHz   | 32000
            50Hz     | 50
            2.5Hz    | 3
            """)
    void frequenciesBecomeHertz(String text, long hz) {
        assertThat(Units.hertz(text)).isEqualTo(hz);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "2 ghz", "2G", "2 GHZ", "fast"})
    void frequenciesWithoutAKnownUnitAreRefused(String text) {
        assertThatThrownBy(() -> Units.hertz(text))
                .hasMessage("expected a frequency with a unit (Hz, kHz, MHz, GHz), got \"" + text + "\"");
    }

    @Test
    void negativeFrequenciesAreRefused() {
        assertThatThrownBy(() -> Units.hertz("-2GHz")).hasMessage("a frequency cannot be negative, got \"-2GHz\"");
    }

    @Test
    void percentagesBecomeFractions() {
        assertThat(Units.fraction("10%")).isEqualTo(0.10);
        assertThat(Units.fraction("2.5 %")).isEqualTo(0.025);
        assertThat(Units.fraction("150%")).isEqualTo(1.5);
        assertThatThrownBy(() -> Units.fraction("10")).hasMessage("expected a percentage with a unit (%), got \"10\"");
        assertThatThrownBy(() -> Units.fraction("-1%")).hasMessage("a percentage cannot be negative, got \"-1%\"");
    }

    @Test
    void durationsRenderInTheLargestExactUnit() {
        assertThat(Units.duration(0, GHZ)).isEqualTo("0 cycles");
        assertThat(Units.duration(5_000_000, GHZ)).isEqualTo("5ms");
        assertThat(Units.duration(800_000, GHZ)).isEqualTo("800us");
        assertThat(Units.duration(1_500_000, GHZ)).isEqualTo("1500us");
        assertThat(Units.duration(20_000_000_000L, 2 * GHZ)).isEqualTo("10s");
        assertThat(Units.duration(1234, GHZ)).isEqualTo("1234ns");
        assertThat(Units.duration(1234, 3 * GHZ)).isEqualTo("1234 cycles");
        assertThat(Units.duration(3, 1_500_000_000L)).isEqualTo("2ns");
        assertThat(Units.duration(1, 3 * GHZ)).isEqualTo("1 cycle");
    }

    @Test
    void frequenciesRenderInTheLargestExactUnit() {
        assertThat(Units.frequency(2 * GHZ)).isEqualTo("2GHz");
        assertThat(Units.frequency(1_500_000_000L)).isEqualTo("1500MHz");
        assertThat(Units.frequency(32_000)).isEqualTo("32kHz");
        assertThat(Units.frequency(1_000_001)).isEqualTo("1000001Hz");
    }

    @Property
    void renderedDurationsParseBackExactly(@ForAll @LongRange(min = 0) long cycles,
                                           @ForAll @LongRange(min = 1_000_000, max = 100_000_000_000L) long hz) {
        assertThat(Units.cycles(Units.duration(cycles, hz), hz)).isEqualTo(cycles);
    }

    @Property
    void renderedFrequenciesParseBackExactly(@ForAll @LongRange(min = 1, max = 100_000_000_000L) long hz) {
        assertThat(Units.hertz(Units.frequency(hz))).isEqualTo(hz);
    }
}
