using System.Globalization;
using EbpfConsole.Integration.Tests.Ssh;

namespace EbpfConsole.Integration.Tests.Capture.Remote;

/// <summary>
/// An ssh_config and a known_hosts for the SSH fixture's jump pair: <see cref="Node"/> is a Host block whose HostName is
/// the target sshd on 127.0.0.2, reached through the jump sshd on 127.0.0.1 (ProxyJump); <c>Host *</c> gives both the client key.
/// </summary>
internal sealed record JumpRouteConfig(string ConfigPath, string KnownHostsPath, string JumpSpec)
{
    /// <summary>The node name a capture point uses; only the ssh_config knows where it is.</summary>
    public const string Node = "node-behind";

    /// <summary>The node's address as the cluster would give it: a loopback address with no sshd, so only the config's route works (and no name is looked up in DNS).</summary>
    public const string UnusedAddress = "127.0.0.3";

    /// <param name="fixture">The sshd pair.</param>
    /// <param name="jumpPort">The jump host's port (a closed one for the failure cases).</param>
    public static async Task<JumpRouteConfig> WriteAsync(SshdFixture fixture, int? jumpPort = null)
    {
        var port = jumpPort ?? fixture.Jump.Port;
        var jumpSpec = string.Create(CultureInfo.InvariantCulture, $"root@127.0.0.1:{port}");
        var knownHosts = await fixture.KnownHostsFileAsync(
            await SshdFixture.KnownHostsLineAsync(fixture.Jump.Port, fixture.JumpHostKeyPub),
            await SshdFixture.KnownHostsLineAsync("127.0.0.2", fixture.Behind.Port, fixture.BehindHostKeyPub));
        var config = fixture.NewPath("ssh_config");
        await File.WriteAllLinesAsync(config,
        [
            $"Host {Node}",
            "  HostName 127.0.0.2",
            string.Create(CultureInfo.InvariantCulture, $"  Port {fixture.Behind.Port}"),
            $"  ProxyJump {jumpSpec}",
            "  StrictHostKeyChecking yes",
            "Host *", // the jump hop is looked up under its own name (127.0.0.1): the key must apply to it too
            $"  IdentityFile {fixture.ClientEd25519}",
        ]);
        return new JumpRouteConfig(config, knownHosts, jumpSpec);
    }
}
