package dev.questj.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EventQueueTest {
    private record Fired(long time, int priority, int id) {}

    private static Event recorder(List<Fired> log, int priority, int id) {
        return new Event(priority) {
            @Override
            public void fire(long now) {
                log.add(new Fired(now, priority, id));
            }
        };
    }

    @Test
    void tiesRunByPriorityThenFifo() {
        EventQueue q = new EventQueue();
        List<Fired> log = new ArrayList<>();
        q.schedule(recorder(log, Priority.TIMER, 1), 5);
        q.schedule(recorder(log, Priority.RELEASE, 2), 5);
        q.schedule(recorder(log, Priority.TIMER, 3), 5);
        q.schedule(recorder(log, Priority.RELEASE, 4), 5);
        q.schedule(recorder(log, Priority.CONTROL, 5), 7);
        q.runUntil(10);
        assertThat(log).extracting(Fired::id).containsExactly(2, 4, 1, 3, 5);
        assertThat(q.now()).isEqualTo(10);
    }

    @Test
    void schedulingInThePastIsAnError() {
        EventQueue q = new EventQueue();
        q.runUntil(100);
        assertThatThrownBy(() -> q.schedule(Event.of(0, now -> {}), 99)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("past");
    }

    @Test
    void cancelledAndReArmedEventsFireOnceAtTheirLastTime() {
        EventQueue q = new EventQueue();
        List<Fired> log = new ArrayList<>();
        Event a = recorder(log, 0, 1);
        Event b = recorder(log, 0, 2);
        q.schedule(a, 10);
        q.schedule(b, 20);
        q.schedule(a, 30);
        assertThat(q.cancel(b)).isTrue();
        assertThat(q.cancel(b)).isFalse();
        q.runUntil(100);
        assertThat(log).containsExactly(new Fired(30, 0, 1));
        assertThat(a.isScheduled()).isFalse();
    }

    /** Whatever the order of scheduling, re-arming and cancelling, events fire sorted by (time, priority, last scheduling). */
    @Property(tries = 200)
    void firesInTimePriorityFifoOrder(@ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 50) Integer> times,
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 3) Integer> priorities,
            @ForAll @IntRange(min = 0, max = 20) int cancels) {
        EventQueue q = new EventQueue();
        List<Fired> log = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        List<Fired> expected = new ArrayList<>();
        for (int i = 0; i < times.size(); i++) {
            int p = priorities.get(i % priorities.size());
            Event e = recorder(log, p, i);
            events.add(e);
            q.schedule(e, times.get(i));
        }
        for (int c = 0; c < Math.min(cancels, events.size()); c++) {
            q.cancel(events.get((c * 7) % events.size()));
        }
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).isScheduled()) {
                expected.add(new Fired(events.get(i).time(), events.get(i).priority(), i));
            }
        }
        expected.sort(Comparator.comparingLong(Fired::time).thenComparingInt(Fired::priority).thenComparingInt(Fired::id));
        q.runUntil(1000);
        assertThat(log).containsExactlyElementsOf(expected);
    }
}
