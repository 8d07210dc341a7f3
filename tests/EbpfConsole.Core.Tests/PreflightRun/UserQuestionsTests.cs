using EbpfConsole.Core.Shell;

namespace EbpfConsole.Core.Tests.PreflightRun;

public sealed class UserQuestionsTests
{
    [Fact]
    public async Task Ask_WaitsForTheAnswer_AndTheQuestionIsCurrentMeanwhile()
    {
        var questions = new UserQuestions();
        var asking = Task.Run(() => questions.Ask("Unknown host key", "fingerprint SHA256:abc", QuestionKind.YesNo, TimeSpan.FromSeconds(10), CancellationToken.None));
        var current = await Eventually(() => questions.Current);

        questions.Answer(current.Id, "yes");

        Assert.Equal("yes", await asking);
        Assert.Null(questions.Current);
    }

    [Fact]
    public async Task Ask_SecondQuestion_WaitsItsTurn()
    {
        var questions = new UserQuestions();
        var first = Task.Run(() => questions.Ask("a", "first", QuestionKind.YesNo, TimeSpan.FromSeconds(10), CancellationToken.None));
        var q1 = await Eventually(() => questions.Current);
        var second = Task.Run(() => questions.Ask("b", "second", QuestionKind.Secret, TimeSpan.FromSeconds(10), CancellationToken.None));
        await Task.Delay(50);
        Assert.Equal("first", questions.Current!.Text);

        questions.Answer(q1.Id, null);
        var q2 = await Eventually(() => questions.Current is { Text: "second" } q ? q : null);
        questions.Answer(q2.Id, "passphrase");

        Assert.Null(await first);
        Assert.Equal("passphrase", await second);
    }

    [Fact]
    public void Ask_TimesOut_AsNo_AndWithdrawsTheQuestion()
    {
        var questions = new UserQuestions();

        Assert.Null(questions.Ask("a", "q", QuestionKind.YesNo, TimeSpan.FromMilliseconds(20), CancellationToken.None));
        Assert.Null(questions.Current);
    }

    [Fact]
    public async Task Answer_ToAnOldQuestion_IsIgnored()
    {
        var questions = new UserQuestions();
        var asking = Task.Run(() => questions.Ask("a", "q", QuestionKind.YesNo, TimeSpan.FromSeconds(10), CancellationToken.None));
        var current = await Eventually(() => questions.Current);

        questions.Answer(current.Id + 7, "yes");
        Assert.Same(current, questions.Current);
        questions.Answer(current.Id, null);

        Assert.Null(await asking);
    }

    private static async Task<T> Eventually<T>(Func<T?> read)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (read() is { } value)
            {
                return value;
            }

            await Task.Delay(5);
        }

        throw new TimeoutException("condition not met within 10 s");
    }
}
