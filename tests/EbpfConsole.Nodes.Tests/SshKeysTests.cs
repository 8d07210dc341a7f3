using System.Security.Cryptography;
using EbpfConsole.Nodes.KnownHosts;
using static EbpfConsole.Nodes.Tests.TestKeys;

namespace EbpfConsole.Nodes.Tests;

public sealed class SshKeysTests
{
    [Fact]
    public void Fingerprint_MatchesSshKeygen()
    {
        Assert.Equal(Ed25519Fingerprint, SshKeys.Fingerprint(Ed25519Blob));
        Assert.Equal(EcdsaFingerprint, SshKeys.Fingerprint(EcdsaBlob));
    }

    [Fact]
    public void Fingerprint_IsSha256PrefixAndUnpaddedBase64()
    {
        var blob = new byte[] { 1, 2, 3 };

        var fingerprint = SshKeys.Fingerprint(blob);

        Assert.Equal("SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('='), fingerprint);
        Assert.DoesNotContain('=', fingerprint);
        Assert.Equal(7 + 43, fingerprint.Length);
    }

    [Fact]
    public void KeyTypeOf_ReadsTheTypeInsideTheBlob()
    {
        Assert.Equal("ssh-ed25519", SshKeys.KeyTypeOf(Ed25519Blob));
        Assert.Equal("ecdsa-sha2-nistp256", SshKeys.KeyTypeOf(EcdsaBlob));
        Assert.Null(SshKeys.KeyTypeOf([0, 0, 0, 99, 65]));
        Assert.Null(SshKeys.KeyTypeOf([]));
    }

    [Theory]
    [InlineData("rsa-sha2-256", "ssh-rsa")]
    [InlineData("rsa-sha2-512", "ssh-rsa")]
    [InlineData("ssh-rsa", "ssh-rsa")]
    [InlineData("ssh-ed25519", "ssh-ed25519")]
    public void NormalizeKeyType_MapsRsaSignatureAlgorithms(string algorithm, string keyType)
    {
        Assert.Equal(keyType, SshKeys.NormalizeKeyType(algorithm));
    }
}
