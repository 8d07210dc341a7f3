using EbpfConsole.Nodes.Config;

namespace EbpfConsole.Nodes.Tests;

public sealed class SshConfigTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("ebpf-console-sshconfig-").FullName;

    private string SshDir => Path.Combine(_home, ".ssh");

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public void Lookup_FirstObtainedValueWins_LaterBlocksOnlyFillGaps()
    {
        var config = Parse("""
            Host node-1
              User alice
            Host node-*
              User bob
              Port 2222
            Host *
              Port 22
              HostName fallback.example
            """);

        var host = config.Lookup("node-1");

        Assert.Equal("alice", host.User);
        Assert.Equal(2222, host.Port);
        Assert.Equal("fallback.example", host.HostName);
    }

    [Fact]
    public void Lookup_NegatedPatternVetoesTheLineEvenWhenAnotherPatternMatches()
    {
        var config = Parse("""
            Host node-* !node-2
              User ops
            """);

        Assert.Equal("ops", config.Lookup("node-1").User);
        Assert.Null(config.Lookup("node-2").User);
        Assert.Null(config.Lookup("other").User);
    }

    [Fact]
    public void Lookup_SeveralPatternsOnOneLineAndQuestionMark_AnyMatches()
    {
        var config = Parse("Host bastion node-? 10.0.0.*\n  User u\n");

        Assert.Equal("u", config.Lookup("node-7").User);
        Assert.Equal("u", config.Lookup("10.0.0.12").User);
        Assert.Equal("u", config.Lookup("BASTION").User);
        Assert.Null(config.Lookup("node-10").User);
    }

    [Fact]
    public void Lookup_UnderNameAndAddress_AppliesBlocksForEitherInFileOrder()
    {
        var config = Parse("""
            Host 10.0.*
              User ubuntu
            Host node-*
              Port 2200
            Host *
              User root
            """);

        var host = config.Lookup("node-1", "10.0.0.5");

        Assert.Equal("ubuntu", host.User);
        Assert.Equal(2200, host.Port);
    }

    [Fact]
    public void Lookup_NegationMatchingTheAddress_ExcludesTheNodeUnderItsNameToo()
    {
        var config = Parse("Host * !10.0.0.5\n  User ops\n");

        Assert.Null(config.Lookup("node-1", "10.0.0.5").User);
        Assert.Equal("ops", config.Lookup("node-2", "10.0.0.6").User);
    }

    [Fact]
    public void Lookup_IdentityFilesAccumulateAcrossBlocks()
    {
        var config = Parse("""
            Host node-1
              IdentityFile ~/.ssh/node1
            Host *
              IdentityFile ~/.ssh/id_ed25519
              IdentityFile %d/.ssh/%h_key
            """);

        Assert.Equal(["~/.ssh/node1", "~/.ssh/id_ed25519", "%d/.ssh/%h_key"], config.Lookup("node-1").IdentityFiles);
    }

    [Fact]
    public void Parse_EqualsSignQuotesCommentsAndKeywordCase_AreUnderstood()
    {
        var config = Parse("""
            # a comment
            HOST node-1
              port=2022
              User = "svc"
              identityfile "/keys/my key"   # trailing comment
              StrictHostKeyChecking accept-new
              UserKnownHostsFile /a/known_hosts '/b/known hosts'
            """);

        var host = config.Lookup("node-1");

        Assert.Equal(2022, host.Port);
        Assert.Equal("svc", host.User);
        Assert.Equal(["/keys/my key"], host.IdentityFiles);
        Assert.Equal(StrictHostKeyChecking.AcceptNew, host.StrictHostKeyChecking);
        Assert.Equal(["/a/known_hosts", "/b/known hosts"], host.UserKnownHostsFiles);
    }

    [Fact]
    public void Parse_UnknownKeywords_AreIgnored()
    {
        var config = Parse("Host *\n  ForwardAgent yes\n  ServerAliveInterval 30\n  User u\n");

        Assert.Equal("u", config.Lookup("x").User);
        Assert.Empty(config.Notes);
    }

    [Fact]
    public void Parse_MatchBlock_IsSkippedWithANoteNamingFileAndLine()
    {
        var config = Parse("""
            Match host node-1 exec "true"
              User matched
            Host *
              User plain
            """);

        Assert.Equal("plain", config.Lookup("node-1").User);
        Assert.Equal("test-config:1: Match blocks are not supported; the block is skipped (use Host patterns)", Assert.Single(config.Notes));
    }

    [Theory]
    [InlineData("Host *\n  Port abc\n", "test-config:2: Port 'abc' is not a number from 1 to 65535")]
    [InlineData("Host *\n  Port 70000\n", "test-config:2: Port '70000' is not a number from 1 to 65535")]
    [InlineData("Host *\n\n  User\n", "test-config:3: user needs a value")]
    [InlineData("Host\n", "test-config:1: host needs a value")]
    [InlineData("Host *\n  User a b\n", "test-config:2: user takes one value, got 'a b'")]
    [InlineData("Host *\n  IdentityFile \"/unterminated\n", "test-config:2: unterminated quote in 'IdentityFile \"/unterminated'")]
    [InlineData("Host *\n  StrictHostKeyChecking maybe\n", "test-config:2: StrictHostKeyChecking 'maybe' is not yes, no, ask or accept-new")]
    [InlineData("Host *\n  ProxyJump bastion:0\n", "test-config:2: ProxyJump: jump host 'bastion:0': port must be a number from 1 to 65535")]
    [InlineData("Host *\n  IdentityFile ~/.ssh/%C\n", "test-config:2: unsupported token %C in '~/.ssh/%C' (supported: %%, %d, %u, %n, %r, %h, %p)")]
    [InlineData("Host *\n  =yes\n", "test-config:2: malformed line (no keyword before '=')")]
    public void Parse_MalformedLine_IsOneLineErrorNamingFileAndLine(string text, string expected)
    {
        var result = SshConfig.Parse(text, "test-config", SshDir, _home);

        Assert.Null(result.Config);
        Assert.Equal(expected, result.Error);
    }

    [Fact]
    public void Parse_MalformedLineInAnIncludedFile_NamesThatFile()
    {
        Directory.CreateDirectory(SshDir);
        var included = Path.Combine(SshDir, "bad.conf");
        File.WriteAllText(included, "Host x\n  Port nope\n");

        var result = SshConfig.Parse("Include bad.conf\n", "test-config", SshDir, _home);

        Assert.Equal($"{included}:2: Port 'nope' is not a number from 1 to 65535", result.Error);
    }

    [Fact]
    public void Include_RelativeToSshDirectoryWithGlob_ReadsMatchesInNameOrder()
    {
        var dir = Path.Combine(SshDir, "config.d");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "20-lab.conf"), "Host node-*\n  User second\n  Port 2020\n");
        File.WriteAllText(Path.Combine(dir, "10-first.conf"), "Host node-*\n  User first\n");
        File.WriteAllText(Path.Combine(dir, "ignored.txt"), "Host node-*\n  Port 1\n");

        var config = Parse("Include config.d/*.conf\nHost *\n  Port 22\n");

        var host = config.Lookup("node-1");
        Assert.Equal("first", host.User);
        Assert.Equal(2020, host.Port);
    }

    [Fact]
    public void Include_InsideAHostBlock_AppliesOnlyToThatHostAndRestoresTheBlockAfterwards()
    {
        Directory.CreateDirectory(SshDir);
        File.WriteAllText(Path.Combine(SshDir, "inc"), "User included\nHost other\n  Port 1111\n");

        var config = Parse("Host node-1\n  Include inc\n  Port 2222\n");

        Assert.Equal("included", config.Lookup("node-1").User);
        Assert.Equal(2222, config.Lookup("node-1").Port);
        Assert.Null(config.Lookup("node-2").User);
        Assert.Null(config.Lookup("other").Port); // the Include sits in node-1's block: nothing in it matches other hosts
    }

    [Fact]
    public void Include_MissingFileOrNoGlobMatch_IsNotAnError()
    {
        var result = SshConfig.Parse("Include nothing-here.conf config.d/*.conf\nHost *\n  User u\n", "test-config", SshDir, _home);

        Assert.Null(result.Error);
        Assert.Equal("u", result.Config!.Lookup("x").User);
    }

    [Fact]
    public void Include_Loop_IsAnErrorNamingTheLine()
    {
        Directory.CreateDirectory(SshDir);
        var self = Path.Combine(SshDir, "loop");
        File.WriteAllText(self, "Include loop\n");

        var result = SshConfig.Load(self, SshDir, homeDirectory: _home);

        Assert.StartsWith($"{self}:1: Include nested more than 16 deep", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingDefaultFile_IsEmptyButAMissingNamedFileIsAnError()
    {
        var missing = Path.Combine(_home, "nope");

        Assert.Same(SshConfig.Empty, SshConfig.Load(missing, SshDir).Config);
        Assert.Equal($"{missing}: SSH config file not found", SshConfig.Load(missing, SshDir, mustExist: true).Error);
    }

    [Theory]
    [InlineData("yes", StrictHostKeyChecking.Yes)]
    [InlineData("no", StrictHostKeyChecking.No)]
    [InlineData("off", StrictHostKeyChecking.No)]
    [InlineData("ask", StrictHostKeyChecking.Ask)]
    [InlineData("Accept-New", StrictHostKeyChecking.AcceptNew)]
    public void Parse_StrictHostKeyCheckingValues(string value, StrictHostKeyChecking expected) =>
        Assert.Equal(expected, Parse($"Host *\n  StrictHostKeyChecking {value}\n").Lookup("x").StrictHostKeyChecking);

    [Fact]
    public void Tokens_Expand_HomeAndPercentTokens()
    {
        var values = new SshTokenValues("/home/me", "me", "10.0.0.5", "node-1", "root", 2222);

        Assert.Equal("/home/me/.ssh/node-1_root_10.0.0.5_2222_me_%", SshTokens.Expand("~/.ssh/%n_%r_%h_%p_%u_%%", values));
        Assert.Equal("/home/me/k", SshTokens.Expand("%d/k", values));
        Assert.Equal("a~b", SshTokens.Expand("a~b", values));
    }

    private SshConfig Parse(string text)
    {
        var result = SshConfig.Parse(text, "test-config", SshDir, _home);
        Assert.True(result.Config is not null, result.Error);
        return result.Config;
    }
}
