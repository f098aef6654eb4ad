package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.cred.LoginDeniedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LoginGateTest {
  private final LoginGate gate = new LoginGate();
  private final List<String> started = new ArrayList<>();
  private final List<CompletableFuture<String>> running = new ArrayList<>();

  /** Submits a login named {@code name} that runs until the test completes it. */
  private CompletableFuture<String> submit(LoginGate.Lane lane, String name) {
    return lane.submit(() -> {
      started.add(name);
      var login = new CompletableFuture<String>();
      running.add(login);
      return login;
    });
  }

  private void finishFirstRunning() {
    CompletableFuture<String> login = running.remove(0);
    login.complete("done");
  }

  @Test
  void runsAFewPerConnectionAndQueuesTheRestInOrder() throws Exception {
    LoginGate.Lane lane = gate.lane("10.0.0.1", Runnable::run);
    List<CompletableFuture<String>> logins = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      logins.add(submit(lane, "login" + i));
    }

    assertThat(started).containsExactly("login0", "login1");
    finishFirstRunning();
    assertThat(logins.get(0).get()).isEqualTo("done");
    assertThat(started).containsExactly("login0", "login1", "login2");
  }

  @Test
  void sharesAnAddressBetweenItsConnectionsInTurn() {
    LoginGate.Lane first = gate.lane("10.0.0.1", Runnable::run);
    LoginGate.Lane second = gate.lane("10.0.0.1", Runnable::run);
    LoginGate.Lane third = gate.lane("10.0.0.1", Runnable::run);
    for (int i = 0; i < 4; i++) {
      submit(first, "first" + i);
    }
    for (int i = 0; i < 4; i++) {
      submit(second, "second" + i);
      submit(third, "third" + i);
    }

    assertThat(started).containsExactly("first0", "first1", "second0", "third0");
    for (int i = 0; i < 4; i++) {
      finishFirstRunning();
    }
    // Each finished login hands the address's free slot to the next connection in turn.
    assertThat(started).endsWith("first2", "second1", "third1", "first3");
  }

  @Test
  void otherAddressesAndConnectionsWithoutAnAddressAreNotHeldUp() {
    LoginGate.Lane flooder = gate.lane("10.0.0.1", Runnable::run);
    for (int i = 0; i < 100; i++) {
      submit(flooder, "flood" + i);
    }

    submit(gate.lane("10.0.0.2", Runnable::run), "alice");
    submit(gate.lane(null, Runnable::run), "carol");
    submit(gate.lane(null, Runnable::run), "dave");

    assertThat(started).containsExactly("flood0", "flood1", "alice", "carol", "dave");
  }

  @Test
  void refusesBeyondTheWaitingLimitOfItsConnection() {
    LoginGate.Lane flooder = gate.lane("10.0.0.1", Runnable::run);
    for (int i = 0; i < LoginGate.PER_CONNECTION + LoginGate.MAX_WAITING; i++) {
      assertThat(submit(flooder, "flood" + i)).isNotCompleted();
    }

    CompletableFuture<String> refused = submit(flooder, "one too many");

    assertThat(refused).isCompletedExceptionally();
    assertThat(failure(refused)).isInstanceOf(LoginDeniedException.class)
        .hasMessage("too many logins in progress on this connection, try again later");
  }

  @Test
  void closingFailsTheWaitingLoginsAndFreesTheAddress() throws Exception {
    LoginGate.Lane closing = gate.lane("10.0.0.1", Runnable::run);
    LoginGate.Lane other = gate.lane("10.0.0.1", Runnable::run);
    for (int i = 0; i < 2; i++) {
      submit(closing, "closing" + i);
      submit(other, "other" + i);
    }
    CompletableFuture<String> waiting = submit(closing, "closing2");

    closing.close();
    finishFirstRunning();
    finishFirstRunning();

    assertThat(waiting).isCompletedExceptionally();
    assertThat(failure(waiting)).isInstanceOf(ConnectionLostException.class);
    assertThat(submit(closing, "after close")).isCompletedExceptionally();
    assertThat(started).containsExactly("closing0", "other0", "closing1", "other1");
  }

  @Test
  void aLoginThatThrowsStillFreesItsSlot() {
    LoginGate.Lane lane = gate.lane("10.0.0.1", Runnable::run);
    for (int i = 0; i < 2; i++) {
      CompletableFuture<String> thrown = lane.submit(() -> {
        throw new IllegalStateException("boom");
      });
      assertThat(thrown).isCompletedExceptionally();
    }

    submit(lane, "next");

    assertThat(started).containsExactly("next");
  }


  private static Throwable failure(CompletableFuture<?> future) {
    return future.handle((value, failure) -> failure).join();
  }
}
