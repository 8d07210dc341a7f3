using EbpfConsole.Capture.Remote;

namespace EbpfConsole.Capture.Tests.Remote;

public sealed class ShellQuotingTests
{
    public static TheoryData<string> Hostile => new()
    {
        "'; touch /tmp/ectest-pwned; '",
        "$(id)",
        "`id`",
        "a'b\"c\\d",
        "''",
        "'",
        "line1\nline2",
        "$HOME ${PATH} $((1+1)) * ? [a] ~ & | ; < > ( ) { } !",
        "-w /etc/x",
        string.Empty,
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Quote_ThroughRealShell_ComesBackAsTheSameSingleWord(string text)
    {
        var (exit, stdout, stderr) = await ShellRun.RunAsync("printf '%s|' " + ShellQuoting.Quote(text));

        Assert.True(exit == 0, stderr);
        Assert.Equal(text + "|", stdout);
    }

    [Fact]
    public void Quote_EmbeddedQuote_IsClosedEscapedAndReopened()
    {
        Assert.Equal(@"'it'\''s'", ShellQuoting.Quote("it's"));
    }
}
