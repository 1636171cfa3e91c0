import { KAFKA_OPERATOR_PRINCIPAL, KafkaSettings, parseBrokers } from '@app/messaging';
import { BaseServiceEnv, kafkaSecurityFromEnv } from '@app/platform';

/**
 * The operator principal's connection, for `npm run dead-letter` and the hub's re-drive: the
 * service variables for the broker and TLS (KAFKA_BROKERS, KAFKA_SSL*, KAFKA_CREDENTIALS_DIR),
 * and OPERATOR_KAFKA_USERNAME, OPERATOR_KAFKA_PASSWORD or OPERATOR_KAFKA_PASSWORD_FILE for the
 * operator's own login (default: `operator`, its password file made by npm run setup).
 */
export function operatorKafkaSettings(raw: Record<string, string | undefined>): KafkaSettings {
  const defaults = new BaseServiceEnv();
  const username = raw.OPERATOR_KAFKA_USERNAME || KAFKA_OPERATOR_PRINCIPAL;
  const { security, problems } = kafkaSecurityFromEnv({
    KAFKA_SASL_USERNAME: username,
    KAFKA_SASL_MECHANISM: (raw.KAFKA_SASL_MECHANISM ??
      defaults.KAFKA_SASL_MECHANISM) as BaseServiceEnv['KAFKA_SASL_MECHANISM'],
    KAFKA_SASL_PASSWORD: raw.OPERATOR_KAFKA_PASSWORD ?? '',
    KAFKA_SASL_PASSWORD_FILE: raw.OPERATOR_KAFKA_PASSWORD_FILE ?? '',
    KAFKA_CREDENTIALS_DIR: raw.KAFKA_CREDENTIALS_DIR || defaults.KAFKA_CREDENTIALS_DIR,
    KAFKA_SSL: raw.KAFKA_SSL === 'true' ? 'true' : 'false',
    KAFKA_SSL_CA_FILE: raw.KAFKA_SSL_CA_FILE ?? '',
    KAFKA_SSL_CERT_FILE: raw.KAFKA_SSL_CERT_FILE ?? '',
    KAFKA_SSL_KEY_FILE: raw.KAFKA_SSL_KEY_FILE ?? '',
  });
  if (!security) throw new Error(`Kafka credentials of ${username}: ${problems.join('; ')}`);
  return {
    brokers: parseBrokers(raw.KAFKA_BROKERS || defaults.KAFKA_BROKERS),
    groupId: `${KAFKA_OPERATOR_PRINCIPAL}-dead-letter`,
    partitionsConsumedConcurrently: 1,
    security,
  };
}
