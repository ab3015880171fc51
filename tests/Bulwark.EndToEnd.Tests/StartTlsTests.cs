using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bulwark.EndToEnd.Tests.Infrastructure;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Bulwark.EndToEnd.Tests;

/// <summary>STARTTLS and require-TLS switched on from the node's settings, with PEM files.</summary>
public sealed class StartTlsTests
{
    [Fact]
    public async Task Mail_arrives_over_STARTTLS_and_a_listed_sender_domain_must_use_it()
    {
        var folder = Directory.CreateTempSubdirectory("bulwark-tls-").FullName;
        try
        {
            using var certificate = SelfSigned("mx.example.test");
            var (certFile, keyFile) = (Path.Combine(folder, "cert.pem"), Path.Combine(folder, "key.pem"));
            await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyFile, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            using var node = await BulwarkNode.StartAsync(new Dictionary<string, string>
            {
                ["BULWARK_Smtp__Tls__CertificateFile"] = certFile,
                ["BULWARK_Smtp__Tls__KeyFile"] = keyFile,
                ["BULWARK_Smtp__Tls__RequireFromDomains"] = "bank.example",
            });

            using (var plain = await RawSmtpClient.ConnectAsync(node.SmtpPort, "127.0.0.85"))
            {
                await plain.ReadReplyAsync();
                Assert.Contains("STARTTLS", await plain.CommandAsync("EHLO plain.test"));
                Assert.StartsWith("530 5.7.10", await plain.CommandAsync("MAIL FROM:<payments@bank.example>"));
            }

            using var client = new SmtpClient();
            client.ServerCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.Thumbprint;
            await client.ConnectAsync("127.0.0.1", node.SmtpPort, SecureSocketOptions.StartTls);
            Assert.True(client.IsSecure);
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("payments@bank.example"));
            message.To.Add(MailboxAddress.Parse("carol@example.test"));
            message.Subject = "over-tls-" + Guid.NewGuid();
            message.Body = new TextPart("plain") { Text = "sent under TLS" };
            var reply = await client.SendAsync(message);
            Assert.StartsWith("2.0.0 queued as", reply);
            await client.DisconnectAsync(true);

            var inbox = Path.Combine(node.DataDirectory, "maildir", "example.test", "carol", "new");
            var deadline = DateTime.UtcNow.AddSeconds(20);
            string? stored = null;
            while (stored is null && DateTime.UtcNow < deadline)
            {
                stored = Directory.Exists(inbox) ? Directory.GetFiles(inbox).Select(File.ReadAllText).FirstOrDefault(m => m.Contains(message.Subject)) : null;
                if (stored is null) await Task.Delay(100);
            }
            Assert.NotNull(stored);
            Assert.Contains("with ESMTPS", stored);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_key_that_does_not_match_the_certificate_stops_the_node_with_one_line()
    {
        var folder = Directory.CreateTempSubdirectory("bulwark-tls-").FullName;
        try
        {
            using var certificate = SelfSigned("mx.example.test");
            using var other = SelfSigned("other.test");
            var (certFile, keyFile) = (Path.Combine(folder, "cert.pem"), Path.Combine(folder, "key.pem"));
            await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyFile, other.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            using var node = new BulwarkNode(new Dictionary<string, string>
            {
                ["BULWARK_Smtp__Tls__CertificateFile"] = certFile,
                ["BULWARK_Smtp__Tls__KeyFile"] = keyFile,
            });
            Assert.Equal(2, await node.RunToExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("Smtp:Tls:CertificateFile", node.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
    }
}
