import t from 'tap'
import { isBase58CheckAddress, isBech32 } from '../../src/detect/wallets.ts'

t.test('Bitcoin base58check addresses are verified by checksum', async (t) => {
  t.equal(isBase58CheckAddress('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'), true, 'genesis P2PKH')
  t.equal(isBase58CheckAddress('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'), true, 'BIP-16 P2SH')
  t.equal(isBase58CheckAddress('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb'), false, 'one character changed')
  t.equal(isBase58CheckAddress('3kL9mQ2xR7vT1wY5zA8bC4dE6fG0hJ2k'), false, 'a random key with a 0 (not base58)')
  t.equal(isBase58CheckAddress('1111111111111111111114oLvT2'), true, 'leading zero bytes decode as ones')
  t.equal(isBase58CheckAddress('1abc'), false, 'too short')
})

t.test('bech32 and bech32m strings are verified by checksum', async (t) => {
  t.equal(isBech32('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'), true, 'BIP-173 segwit v0')
  t.equal(isBech32('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4'), true, 'upper case')
  t.equal(isBech32('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0'), true, 'BIP-350 taproot (bech32m)')
  t.equal(isBech32('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5'), false, 'checksum broken')
  t.equal(isBech32('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3tb'), false, 'character outside the charset')
  t.equal(isBech32('1qw508d6q'), false, 'no prefix')
  t.equal(isBech32('bc1qw50'), false, 'too short')
})

t.test('a string of ones decodes to zero bytes and fails the checksum', async (t) => {
  t.equal(isBase58CheckAddress('1'.repeat(25)), false)
})

t.test('a base58 token whose value needs more than 25 bytes is not an address', async (t) => {
  t.equal(isBase58CheckAddress('z'.repeat(35)), false)
})
