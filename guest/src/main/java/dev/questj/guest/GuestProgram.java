package dev.questj.guest;

/**
 * A guest program written in Java in blocking style. Name its class in a thread's {@code program}
 * field; it needs a public no-argument constructor. Each blocking call of {@link GuestApi} hands
 * control back to the simulator, so exactly one guest runs at a time and runs stay deterministic
 * (as long as the program itself uses only the API's time and random stream).
 *
 * <pre>{@code
 * public final class Controller implements GuestProgram {
 *     public void run(GuestApi q) {
 *         while (true) {
 *             q.compute(q.micros(800));
 *             q.waitForNextPeriod();
 *         }
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface GuestProgram {
    void run(GuestApi api) throws Exception;
}
