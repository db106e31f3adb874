package dev.questj.kernel;

import java.util.ArrayList;
import java.util.List;

/** Records every execution slice the kernel reports, with the objects themselves (not names). */
final class RecordingSink implements ScheduleSink {
    /** {@code thread} of {@code vcpu} ran on {@code pcpu} during [start, end). */
    record Slice(int pcpu, Vcpu vcpu, KThread thread, long start, long end) {
        long length() {
            return end - start;
        }

        @Override
        public String toString() {
            return "[" + start + ", " + end + ") " + thread + "@" + vcpu + " on " + pcpu;
        }
    }

    final List<Slice> slices = new ArrayList<>();

    @Override
    public void slice(int pcpu, Vcpu vcpu, KThread thread, long start, long end) {
        slices.add(new Slice(pcpu, vcpu, thread, start, end));
    }

    List<Slice> of(Vcpu v) {
        return slices.stream().filter(s -> s.vcpu() == v).toList();
    }

    List<Slice> onPcpu(int pcpu) {
        return slices.stream().filter(s -> s.pcpu() == pcpu).toList();
    }

    List<Slice> of(KThread t) {
        return slices.stream().filter(s -> s.thread() == t).toList();
    }
}
