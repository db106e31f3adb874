package dev.questj.system.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
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

    // ---- sizes, bandwidths, rates, utilisations ----

    @ParameterizedTest(name = "{0} is {1} bytes")
    @CsvSource(delimiter = '|', textBlock = """
            0B        | 0
            1500B     | 1500
            1500 B    | 1500
            4KiB      | 4096
            1.5KiB    | 1536
            256MiB    | 268435456
            2GiB      | 2147483648
            2KB       | 2000
            1.5MB     | 1500000
            1GB       | 1000000000
            """)
    void sizesBecomeBytes(String text, long bytes) {
        assertThat(Units.bytes(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1500", "4kib", "4K", "4 kB", "1MiB/s", "2TB", ""})
    void sizesWithoutAKnownUnitAreRefused(String text) {
        assertThatThrownBy(() -> Units.bytes(text))
                .hasMessage("expected a size with a unit (B, KiB, MiB, GiB, KB, MB, GB), got \"" + text + "\"");
    }

    @Test
    void sizesMustBeWholeBytesAndFit() {
        assertThatThrownBy(() -> Units.bytes("1.5B")).hasMessage("the size \"1.5B\" is not a whole number of bytes");
        assertThatThrownBy(() -> Units.bytes("0.1KiB")).hasMessage("the size \"0.1KiB\" is not a whole number of bytes");
        assertThatThrownBy(() -> Units.bytes("-1B")).hasMessage("a size cannot be negative, got \"-1B\"");
        assertThatThrownBy(() -> Units.bytes("8589934592GiB"))
                .hasMessage("the size \"8589934592GiB\" is too large (more than 9223372036854775807 bytes)");
    }

    @ParameterizedTest(name = "{0} is {1} B/s")
    @CsvSource(delimiter = '|', textBlock = """
            125MB/s   | 125000000
            1 GB/s    | 1000000000
            1GiB/s    | 1073741824
            512KiB/s  | 524288
            3KB/s     | 3000
            0.5B/s    | 1
            10B/s     | 10
            """)
    void bandwidthsBecomeBytesPerSecond(String text, long bytesPerSecond) {
        assertThat(Units.bytesPerSecond(text)).isEqualTo(bytesPerSecond);
    }

    @ParameterizedTest
    @ValueSource(strings = {"125MB", "125", "125Mb/s", "1GB/ms"})
    void bandwidthsWithoutAKnownUnitAreRefused(String text) {
        assertThatThrownBy(() -> Units.bytesPerSecond(text))
                .hasMessage("expected a bandwidth with a unit (B/s, KB/s, MB/s, GB/s, KiB/s, MiB/s, GiB/s), got \"" + text + "\"");
    }

    @Test
    void ratesAreReadExactly() {
        assertThat(Units.perSecond("2000/s")).isEqualByComparingTo("2000");
        assertThat(Units.perSecond("2.5 /s")).isEqualByComparingTo("2.5");
        assertThatThrownBy(() -> Units.perSecond("2000")).hasMessage("expected a rate with a unit (/s), got \"2000\"");
        assertThatThrownBy(() -> Units.perSecond("2k/s")).hasMessage("expected a rate with a unit (/s), got \"2k/s\"");
        assertThatThrownBy(() -> Units.perSecond("-1/s")).hasMessage("a rate cannot be negative, got \"-1/s\"");
    }

    @ParameterizedTest(name = "{0} is {1} ppm")
    @CsvSource(delimiter = '|', textBlock = """
            10%        | 100000
            12.5%      | 125000
            12.5 %     | 125000
            100%       | 1000000
            0.1        | 100000
            1          | 1000000
            0.0000005  | 1
            0.00000049 | 0
            150%       | 1500000
            """)
    void utilisationsBecomePartsPerMillion(String text, long ppm) {
        assertThat(Units.ppm(text)).isEqualTo(ppm);
    }

    @Test
    void utilisationsThatAreNeitherAreRefused() {
        assertThatThrownBy(() -> Units.ppm("10 percent"))
                .hasMessage("expected a utilisation as a percentage (10%) or a fraction (0.1), got \"10 percent\"");
        assertThatThrownBy(() -> Units.ppm(".1"))
                .hasMessage("expected a utilisation as a percentage (10%) or a fraction (0.1), got \".1\"");
        assertThatThrownBy(() -> Units.ppm("-0.1")).hasMessage("a utilisation cannot be negative, got \"-0.1\"");
    }

    @Test
    void sizesBandwidthsRatesAndPercentagesRenderExactly() {
        assertThat(Units.size(0)).isEqualTo("0B");
        assertThat(Units.size(1500)).isEqualTo("1500B");
        assertThat(Units.size(4096)).isEqualTo("4KiB");
        assertThat(Units.size(2000)).isEqualTo("2KB");
        assertThat(Units.size(256L << 20)).isEqualTo("256MiB");
        assertThat(Units.bandwidth(125_000_000)).isEqualTo("125MB/s");
        assertThat(Units.bandwidth(1L << 30)).isEqualTo("1GiB/s");
        assertThat(Units.bandwidth(1500)).isEqualTo("1500B/s");
        assertThat(Units.rate(2000)).isEqualTo("2000/s");
        assertThat(Units.rate(2.5)).isEqualTo("2.5/s");
        assertThat(Units.rate(1e-7)).isEqualTo("0.0000001/s");
        assertThat(Units.percent(100_000)).isEqualTo("10%");
        assertThat(Units.percent(125_000)).isEqualTo("12.5%");
        assertThat(Units.percent(1)).isEqualTo("0.0001%");
    }

    @Property
    void renderedSizesParseBackExactly(@ForAll @LongRange(min = 0) long bytes) {
        assertThat(Units.bytes(Units.size(bytes))).isEqualTo(bytes);
    }

    @Property
    void renderedBandwidthsParseBackExactly(@ForAll @LongRange(min = 0) long bytesPerSecond) {
        assertThat(Units.bytesPerSecond(Units.bandwidth(bytesPerSecond))).isEqualTo(bytesPerSecond);
    }

    @Property
    void renderedRatesParseBackToTheSameDouble(@ForAll @DoubleRange(min = 0, max = 1e12) double rate) {
        assertThat(Units.perSecond(Units.rate(rate)).doubleValue()).isEqualTo(rate);
    }

    @Property
    void renderedPercentagesParseBackExactly(@ForAll @LongRange(min = 0, max = 100_000_000) long ppm) {
        assertThat(Units.ppm(Units.percent(ppm))).isEqualTo(ppm);
    }
}
