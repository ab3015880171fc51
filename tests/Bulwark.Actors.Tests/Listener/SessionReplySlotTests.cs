using Akka.Actor;
using Akka.TestKit.Xunit2;
using Bulwark.Listener.Protocol;
using Bulwark.Listener.Sessions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>The connection's reusable reply address: one question at a time, answers in order,
/// a timeout like Ask's, and nothing late or foreign taken for an answer.</summary>
public sealed class SessionReplySlotTests : TestKit
{
    private static readonly SessionReply Ok = new(new SmtpReply(250, "2.0.0", "ok"));
    private static readonly SessionReply Bye = new(new SmtpReply(221, "2.0.0", "bye"), Close: true);

    private SessionReplySlot NewSlot() => new(((ExtendedActorSystem)Sys).Provider);

    [Fact]
    public async Task Each_question_gets_its_own_answer_and_the_slot_is_reused()
    {
        using var slot = NewSlot();
        var session = CreateTestProbe();
        var first = slot.AskAsync(session, SessionOpened.Instance, TimeSpan.FromSeconds(5));
        session.ExpectMsg<SessionOpened>();
        Assert.Same(slot, session.LastSender);
        session.LastSender.Tell(Ok);
        Assert.Same(Ok, await first);

        var second = slot.AskAsync(session, CommandLineTooLong.Instance, TimeSpan.FromSeconds(5));
        session.ExpectMsg<CommandLineTooLong>();
        session.LastSender.Tell(Bye);
        Assert.Same(Bye, await second);
    }

    [Fact]
    public async Task A_session_that_does_not_answer_times_out_and_its_late_answer_is_dropped()
    {
        using var slot = NewSlot();
        var session = CreateTestProbe();
        var question = slot.AskAsync(session, SessionOpened.Instance, TimeSpan.FromMilliseconds(200));
        session.ExpectMsg<SessionOpened>();
        await Assert.ThrowsAsync<AskTimeoutException>(async () => await question);

        slot.Tell(Ok);   // the late answer to the question given up on
        var next = slot.AskAsync(session, CommandLineTooLong.Instance, TimeSpan.FromSeconds(5));
        session.ExpectMsg<CommandLineTooLong>();
        await Task.Delay(100);
        Assert.False(next.IsCompleted, "a late answer was taken for the next question's");
        session.LastSender.Tell(Bye);
        Assert.Same(Bye, await next);
    }

    [Fact]
    public async Task Only_a_session_reply_answers_a_question()
    {
        using var slot = NewSlot();
        var session = CreateTestProbe();
        var question = slot.AskAsync(session, SessionOpened.Instance, TimeSpan.FromSeconds(5));
        session.ExpectMsg<SessionOpened>();
        session.LastSender.Tell("not a reply");
        session.LastSender.Tell(new Status.Failure(new Exception("boom")));
        await Task.Delay(100);
        Assert.False(question.IsCompleted);
        session.LastSender.Tell(Ok);
        Assert.Same(Ok, await question);
    }

    [Fact]
    public void A_second_question_while_one_is_open_is_a_bug_and_says_so()
    {
        using var slot = NewSlot();
        var session = CreateTestProbe();
        _ = slot.AskAsync(session, SessionOpened.Instance, TimeSpan.FromSeconds(5));
        Assert.Throws<InvalidOperationException>(() => slot.AskAsync(session, SessionOpened.Instance, TimeSpan.FromSeconds(5)));
    }
}
